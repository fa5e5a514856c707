using CowGuard.Cli.Fix;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The diff and the SARIF regions `cowguard fix` writes, on the edge cases a sample project does not reach: first and
/// last lines, a missing final line break, CRLF, edits close enough to share a hunk and far enough apart not to. Each
/// diff must apply with `git apply` to the exact new text, and the line edits (SARIF's replacements) must give it too.
/// </summary>
public sealed class UnifiedDiffTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "first line changed", "a\nb\nc\n", "A\nb\nc\n" },
        { "line inserted at the top", "a\nb\n", "using X;\na\nb\n" },
        { "last line without a break changed", "a\nb\nc", "a\nb\nC" },
        { "final line break added", "a\nb", "a\nb\n" },
        { "final line break removed", "a\nb\n", "a\nb" },
        { "line removed at the end", "a\nb\nc\n", "a\nb\n" },
        { "CRLF lines", "a\r\nb\r\nc\r\n", "a\r\nB | X\r\nc\r\n" },
        { "two edits sharing a hunk", Lines(1, 20), Lines(1, 20).Replace("line 5\n", "LINE 5\n").Replace("line 11\n", "LINE 11\n") },
        { "two edits in two hunks", Lines(1, 30), Lines(1, 30).Replace("line 3\n", "LINE 3\n").Replace("line 25\n", "    [Attr]\nline 25\n") },
        { "every line changed", "a\nb\n", "c\nd\ne\n" },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Diff_applies_with_git_apply_and_line_edits_give_the_same_text(string name, string before, string after)
    {
        var edits = LineDiff.Compute(before, after);
        Assert.NotEmpty(edits);
        Assert.Equal(after, ApplyEdits(before, edits));

        using var folder = new TemporaryDirectory("cowguard-diff-case");
        var file = Path.Combine(folder.Path, "File.cs");
        File.WriteAllText(file, before);
        var diff = UnifiedDiffWriter.Write([new FileFix(file, before, after, null, edits)], folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "fix.patch"), diff);
        var apply = ProcessRunner.TryRun("git", folder.Path, "apply", "fix.patch");
        Skip.If(apply is null, "git is not installed here: `git apply` is what this test checks the diff with");

        Assert.True(apply.ExitCode == 0, $"{name}:\n{apply}\n--- diff:\n{diff}");
        Assert.Equal(after, File.ReadAllText(file));
    }

    [Fact]
    public void Close_edits_share_one_hunk_and_distant_ones_do_not()
    {
        static int HunkCount(string before, string after) =>
            UnifiedDiffWriter.Write([new FileFix("/x/File.cs", before, after, null, LineDiff.Compute(before, after))], "/x")
                .Split('\n').Count(l => l.StartsWith("@@ ", StringComparison.Ordinal));

        // Six unchanged lines between two edits: their three lines of context each touch, as in git's output.
        Assert.Equal(1, HunkCount(Lines(1, 20), Lines(1, 20).Replace("line 5\n", "X\n").Replace("line 12\n", "Y\n")));
        Assert.Equal(2, HunkCount(Lines(1, 20), Lines(1, 20).Replace("line 5\n", "X\n").Replace("line 13\n", "Y\n")));
    }

    private static string Lines(int first, int last) =>
        string.Concat(Enumerable.Range(first, last - first + 1).Select(i => $"line {i}\n"));

    /// <summary>Applies the edits as SARIF replacements: old characters [OldOffset, OldOffset + OldLength) become NewText.</summary>
    private static string ApplyEdits(string text, IReadOnlyList<LineEdit> edits)
    {
        foreach (var edit in edits.OrderByDescending(e => e.OldOffset))
        {
            text = text[..edit.OldOffset] + edit.NewText + text[(edit.OldOffset + edit.OldLength)..];
        }

        return text;
    }
}
