using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>Agreement with the live kernel is per check, not per verdict (issue 16).</summary>
public sealed class LiveAgreementTests
{
    private const string TwoChecks = """
        scenario "two checks"
        verdict Mapcount=FAIL ForcedCowGup=FAIL Refcount=FAIL AnonExclusive=FAIL
        expect "first": 1 == 1
        expect "second": 1 == 2
        """;

    private static RunResult Model()
    {
        var instance = Assert.Single(ScenarioLoader.LoadText("two.cow", TwoChecks));
        return Interpreter.Run(instance, Era.AnonExclusive, new RunOptions());
    }

    /// <summary>The kernel's outcomes, check by check (the model's are: first PASS, second FAIL).</summary>
    private static LiveKernelResult Live(RunResult model, bool first, bool second, bool secondObservable = true)
    {
        var checks = model.Checks.Select(c => c.Check).ToList();
        var live = new List<LiveCheck> { new(checks[0], first, "1", "1") };
        if (secondObservable)
        {
            live.Add(new LiveCheck(checks[1], second, "1", "2"));
        }

        return new LiveKernelResult(model.Instance, LiveOutcome.Ran, live, secondObservable ? [] : [checks[1]], Reason: null);
    }

    [Fact]
    public void Each_side_failing_a_different_check_is_a_disagreement_though_both_verdicts_are_FAIL()
    {
        var model = Model();
        var live = Live(model, first: false, second: true);

        Assert.Equal(Verdict.Fail, live.Observed);
        Assert.Equal(Verdict.Fail, LiveAgreement.ModelVerdict(live, model));
        Assert.False(LiveAgreement.Agrees(live, model));
        Assert.Equal(
            ["line 3 'first': model PASS, kernel FAIL", "line 4 'second': model FAIL, kernel PASS"],
            LiveAgreement.Differences(live, model).Select(d => d.Describe()));
        Assert.True(new LiveComparison(live, Era.AnonExclusive, model).DisagreesWithModel);
    }

    [Fact]
    public void The_same_outcome_for_every_check_agrees()
    {
        var model = Model();
        var live = Live(model, first: true, second: false);

        Assert.True(LiveAgreement.Agrees(live, model));
        Assert.Empty(LiveAgreement.Differences(live, model));
    }

    [Fact]
    public void A_check_the_kernel_cannot_observe_is_left_out_on_both_sides()
    {
        var model = Model();
        var live = Live(model, first: true, second: true, secondObservable: false);

        Assert.True(LiveAgreement.Agrees(live, model));
        Assert.Equal(Verdict.Pass, LiveAgreement.ModelVerdict(live, model));
    }

    [Fact]
    public void A_check_that_ran_on_one_side_only_is_a_difference()
    {
        var model = Model();
        var live = Live(model, first: true, second: false) with { Checks = [new LiveCheck(model.Checks[0].Check, true, "1", "1")] };

        Assert.False(LiveAgreement.Agrees(live, model));
        Assert.Equal("line 4 'second': model FAIL, kernel did not run", Assert.Single(LiveAgreement.Differences(live, model)).Describe());
    }

    [Fact]
    public void A_skipped_instance_has_nothing_to_compare()
    {
        var model = Model();

        Assert.Null(LiveAgreement.Agrees(LiveKernelResult.Skip(model.Instance, "no gup_test"), model));
        Assert.Empty(new LiveComparison(LiveKernelResult.Skip(model.Instance, "no gup_test"), Era.AnonExclusive, model).CheckDifferences);
    }
}
