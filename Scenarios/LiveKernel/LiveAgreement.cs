using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Verdicts;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>One observable check whose outcome differs between the model and the live kernel (null: it did not run on that side).</summary>
internal sealed record CheckDifference(BoundExpect Check, bool? ModelPassed, bool? LivePassed)
{
    private static string Side(bool? passed) => passed switch { true => "PASS", false => "FAIL", null => "did not run" };

    /// <summary>"line 12 'No leak from parent into child': model PASS, kernel FAIL".</summary>
    public string Describe() => $"line {Check.Location.Line} '{Check.Label}': model {Side(ModelPassed)}, kernel {Side(LivePassed)}";
}

/// <summary>
/// Compares a live run with the model's run of the same instance under the kernel's era, check by check: every check
/// the kernel could observe must have the same outcome on both sides (matched by <see cref="BoundExpect.Index"/>).
/// Equal verdicts are not enough — a scenario in which each side failed a different check disagrees. The checks the
/// kernel cannot observe (<see cref="LiveKernelResult.Unchecked"/>) are left out on both sides.
/// </summary>
internal static class LiveAgreement
{
    /// <summary>The model's verdict over the checks the live run could observe; null when the model did not run to the end.</summary>
    public static Verdict? ModelVerdict(LiveKernelResult live, RunResult model)
    {
        if (model.Error is not null)
        {
            return null;
        }

        var unobservable = live.Unchecked.Select(c => c.Index).ToHashSet();
        return model.Checks.Where(c => !unobservable.Contains(c.Check.Index)).All(c => c.Passed) ? Verdict.Pass : Verdict.Fail;
    }

    /// <summary>The observable checks whose outcomes differ, in check order; empty when both sides agree on every one.</summary>
    public static IReadOnlyList<CheckDifference> Differences(LiveKernelResult live, RunResult model)
    {
        var unobservable = live.Unchecked.Select(c => c.Index).ToHashSet();
        var modelled = model.Checks.Where(c => !unobservable.Contains(c.Check.Index)).ToDictionary(c => c.Check.Index, c => c);
        var observed = live.Checks.ToDictionary(c => c.Check.Index, c => c);
        return modelled.Keys.Union(observed.Keys).Order()
            .Select(index => (Model: modelled.GetValueOrDefault(index), Live: observed.GetValueOrDefault(index)))
            .Where(pair => pair.Model?.Passed != pair.Live?.Passed)
            .Select(pair => new CheckDifference(pair.Model?.Check ?? pair.Live!.Check, pair.Model?.Passed, pair.Live?.Passed))
            .ToList();
    }

    /// <summary>True/false when both sides ran to the end, null when there is nothing to compare (skip, error).</summary>
    public static bool? Agrees(LiveKernelResult live, RunResult model) =>
        live.Outcome == LiveOutcome.Ran && model.Error is null ? Differences(live, model).Count == 0 : null;
}
