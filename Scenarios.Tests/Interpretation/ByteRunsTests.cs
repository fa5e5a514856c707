using CowGuard.Scenarios.Interpretation;
using Xunit;

namespace CowGuard.Scenarios.Tests.Interpretation;

public sealed class ByteRunsTests
{
    [Fact]
    public void Runs_continue_across_appended_chunks()
    {
        var runs = new ByteRuns();
        runs.Append([1, 1, 1]);
        runs.Append([1, 2]);
        runs.Append([2, 2, 3]);

        Assert.Equal([(1, 4UL), (2, 3UL), (3, 1UL)], runs.Runs.Select(r => ((int)r.Value, r.Count)));
        Assert.Equal(8UL, runs.Length);
        Assert.Equal("0x01×4 0x02×3 0x03×1", runs.ToString());
    }

    [Fact]
    public void Contents_are_equal_when_their_runs_are_whatever_the_chunking()
    {
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)(i / 777 % 3)).ToArray();
        var whole = new ByteRuns();
        whole.Append(bytes);
        var pieces = new ByteRuns();
        foreach (var piece in bytes.Chunk(333))
            pieces.Append(piece);

        Assert.Equal(whole, pieces);
        Assert.Equal(13, whole.Runs.Count);
        Assert.False(whole.IsUniform(0));
    }

    [Fact]
    public void A_uniform_page_is_one_run_and_an_empty_append_changes_nothing()
    {
        var runs = new ByteRuns();
        runs.Append(new byte[4096].AsSpan());
        runs.Append([]);

        Assert.True(runs.IsUniform(0));
        Assert.Equal(4096UL, runs.Length);
        Assert.Equal("(no bytes)", new ByteRuns().ToString());
    }
}
