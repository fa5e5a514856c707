using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;

namespace CowGuard.Scenarios.LiveKernel;

internal enum LiveOutcome
{
    /// <summary>The program ran to the end; <see cref="LiveKernelResult.Checks"/> hold the verdict.</summary>
    Ran,

    /// <summary>The scenario needs something this kernel or machine lacks; <see cref="LiveKernelResult.Reason"/> says what.</summary>
    Skipped,

    /// <summary>Translation, compilation or the program failed unexpectedly; <see cref="LiveKernelResult.Reason"/> says how.</summary>
    Error,
}

/// <summary>One <c>expect</c> on the live kernel (its identity is <see cref="BoundExpect.Index"/>), printed like the model runner prints its checks.</summary>
internal sealed record LiveCheck(BoundExpect Check, bool Passed, string Observed, string Expected)
{
    public string Label => Check.Label;

    public string Format() => Passed ? $"PASS {Label}" : $"FAIL {Label}: observed {Observed}, expected {Expected} (live kernel)";
}

/// <summary>
/// A scenario instance run on the live kernel. <see cref="Unchecked"/> lists the checks the kernel cannot
/// show (page counts, PageAnonExclusive); the verdict rests on the other checks only. <see cref="Location"/> is the
/// statement a skip is about, when there is one (a step without a system call).
/// </summary>
internal sealed record LiveKernelResult(
    ScenarioInstance Instance,
    LiveOutcome Outcome,
    IReadOnlyList<LiveCheck> Checks,
    IReadOnlyList<BoundExpect> Unchecked,
    string? Reason,
    SourceLocation? Location = null)
{
    public Verdict? Observed => Outcome == LiveOutcome.Ran ? Checks.All(c => c.Passed) ? Verdict.Pass : Verdict.Fail : null;

    /// <summary>"pass", "FAIL", "skipped: why (file:line)" or "error: why" — the live-kernel column of run/matrix.</summary>
    public string Describe() => Outcome switch
    {
        LiveOutcome.Ran => VerdictText.Format(Observed!.Value),
        LiveOutcome.Skipped => $"skipped: {ReasonWithLocation}",
        _ => $"error: {Reason}",
    };

    public string? ReasonWithLocation => Location is { } at ? $"{Reason} ({Path.GetFileName(at.File)}:{at.Line})" : Reason;

    public static LiveKernelResult Skip(ScenarioInstance instance, string reason, SourceLocation? location = null) => new(instance, LiveOutcome.Skipped, [], [], reason, location);

    public static LiveKernelResult Fault(ScenarioInstance instance, string reason) => new(instance, LiveOutcome.Error, [], [], reason);
}
