using CowGuard.Cli;
using CowGuard.Cli.Explore;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary><c>cowguard explore</c>, run in-process.</summary>
public sealed class ExploreCommandTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = CowGuardCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void AnonExclusive_at_a_small_depth_prints_the_figures_and_exits_0()
    {
        var (exit, output, _) = Run("explore", "--era", "X", "--depth", "2");

        Assert.Equal(0, exit);
        Assert.Contains("[EXPLORE] era AnonExclusive, 3 processes, 2 base pages, 2 references, alphabet default", output);
        Assert.Contains("depth  2:", output);
        Assert.Contains("states found", output);
        Assert.Contains("peak memory", output);
        Assert.Contains("no oracle violated by any sequence of up to 2 steps", output);
    }

    [Fact]
    public void A_violation_prints_the_shortest_sequence_writes_it_as_a_scenario_and_exits_4()
    {
        var folder = Directory.CreateTempSubdirectory("cowguard-explore-");
        try
        {
            var (exit, output, _) = Run("explore", "--era", "Refcount", "--depth", "3", "--alphabet", "fork,fill,pin_user_pages", "--write-counterexamples", folder.FullName);

            Assert.Equal(ExploreCommand.ViolationExitCode, exit);
            Assert.Contains("VIOLATED ReadOnlyPinCoherence in 3 steps: Fork(p0) ; PinUserPages(p0, s0, None) ; Fill(p0, s0)", output);
            var written = File.ReadAllText(Path.Combine(folder.FullName, "refcount-readonlypincoherence.cow"));
            Assert.Contains("verdict Mapcount=FAIL ForcedCowGup=pass Refcount=FAIL AnonExclusive=pass\n", written.ReplaceLineEndings("\n"));
            Assert.Contains("--alphabet 'fork,fill,pin_user_pages'", written);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--era", "Z", "unknown era 'Z'")]
    [InlineData("--alphabet", "fork,jump", "--alphabet: unknown operation 'jump'")]
    [InlineData("--depth", "500", "the depth must be between 0 and 200")]
    public void A_bad_option_is_a_usage_error(string option, string value, string message)
    {
        var (exit, _, error) = Run("explore", option, value);

        Assert.Equal(CliConsole.UsageErrorExitCode, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Merge_verification_reports_its_count_and_no_mismatch()
    {
        var (exit, output, _) = Run("explore", "--era", "AnonExclusive", "--depth", "2", "--processes", "2", "--pages", "1", "--verify-merges");

        Assert.Equal(0, exit);
        Assert.Matches(@"merges verified [1-9][\d,]*, mismatches 0", output);
    }
}
