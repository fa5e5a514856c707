using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Verdicts;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Compares a live run with the model's run of the same instance under the kernel's era. Only checks the kernel
/// could observe count: the model's verdict is recomputed without the live run's unchecked checks (by their index).
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

        var unchecked_ = live.Unchecked.Select(c => c.Index).ToHashSet();
        return model.Checks.Where(c => !unchecked_.Contains(c.Check.Index)).All(c => c.Passed) ? Verdict.Pass : Verdict.Fail;
    }

    /// <summary>True/false when both sides produced a verdict, null when there is nothing to compare (skip, error).</summary>
    public static bool? Agrees(LiveKernelResult live, RunResult model) =>
        live.Observed is { } observed && ModelVerdict(live, model) is { } modelled ? observed == modelled : null;
}
