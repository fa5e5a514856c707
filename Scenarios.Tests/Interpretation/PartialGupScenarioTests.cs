using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.Interpretation;

/// <summary>
/// Issue 16, item 4, in the scenario language: <c>partial</c> after a GUP's flags keeps the pages taken before the
/// first page that could not be taken (__get_user_pages: <c>return i ? i : ret</c>), <c>pages_taken h</c> says how
/// many; without it the GUP takes all or nothing and fails with EFAULT; a partial GUP whose first page fails is EFAULT too.
/// </summary>
public sealed class PartialGupScenarioTests
{
    private const string Prologue = """
        scenario "t"
        verdict M=pass F=pass R=pass X=pass
        p = process "p"
        m = mmap p 12K
        fill p m 12K 5
        munmap p m + 8K 4K

        """;

    private static RunResult Run(string body) =>
        Interpreter.Run(ScenarioLoader.LoadText(TestFiles.VirtualPath, Prologue + body).Single(), Era.AnonExclusive, new RunOptions(CheckInvariants: true));

    [Theory]
    [InlineData("get_user_pages")]
    [InlineData("get_user_pages_fast")]
    [InlineData("pin_user_pages")]
    [InlineData("pin_user_pages_fast")]
    public void A_partial_GUP_over_a_hole_holds_the_pages_before_it(string verb)
    {
        var result = Run($"""
            h = {verb} p m 3 none partial
            expect "two of three pages": pages_taken h == 2
            expect "the device sees them": device_read h == read p m 8K
            expect "the page was referenced": refcount p m != 1
            """);

        Assert.Null(result.Error);
        Assert.Equal(Verdict.Pass, result.Observed);
    }

    [Fact]
    public void Without_partial_the_GUP_takes_nothing_and_is_EFAULT()
    {
        var result = Run("""
            r = try pin_user_pages p m 3 write
            expect "EFAULT": r == "EFAULT"
            expect "nothing stays pinned": pincount p m == 0
            h = pin_user_pages p m 2 write
            expect "a whole range is taken": pages_taken h == 2
            """);

        Assert.Null(result.Error);
        Assert.Equal(Verdict.Pass, result.Observed);
    }

    [Fact]
    public void A_partial_GUP_whose_first_page_fails_is_EFAULT()
    {
        var result = Run("""
            r = try get_user_pages p m + 8K 1 none partial
            expect "EFAULT": r == "EFAULT"
            """);

        Assert.Null(result.Error);
        Assert.Equal(Verdict.Pass, result.Observed);
    }

    [Fact]
    public void Pages_taken_needs_a_handle_and_partial_is_a_word_after_the_flags()
    {
        var error = Assert.ThrowsAny<Exception>(() => ScenarioLoader.LoadText(TestFiles.VirtualPath, Prologue + "n = pages_taken p\n"));

        Assert.Contains("t.cow:7:", error.Message, StringComparison.Ordinal);
    }
}
