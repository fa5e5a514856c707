using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A live-kernel result next to the model's run under the era of the running kernel (<see cref="KernelEra"/>,
/// null when the release names no era). Two kinds of disagreement: an observable check has another outcome than in the
/// model (<see cref="DisagreesWithModel"/>, listed by <see cref="CheckDifferences"/>), or it contradicts the verdict the file
/// declares for that era, which is only said when every check was observable (<see cref="ContradictsDeclaration"/>).
/// </summary>
internal sealed record LiveComparison(LiveKernelResult Live, Era? Era, RunResult? Model)
{
    public ScenarioInstance Instance => Live.Instance;

    public bool DisagreesWithModel => Model is not null && LiveAgreement.Agrees(Live, Model) == false;

    /// <summary>The observable checks whose outcome differs from the model's (empty when there is nothing to compare).</summary>
    public IReadOnlyList<CheckDifference> CheckDifferences =>
        Model is not null && LiveAgreement.Agrees(Live, Model) is not null ? LiveAgreement.Differences(Live, Model) : [];

    public bool ContradictsDeclaration =>
        Era is { } era && Live.Observed is { } observed && Live.Unchecked.Count == 0 && !VerdictText.Matches(Instance.Expected[era], observed);

    public bool IsDisagreement => DisagreesWithModel || ContradictsDeclaration;

    /// <summary>The live verdict as the matrix prints it: XFAIL where the file declares one for the kernel's era.</summary>
    public string? ShownVerdict => Live.Observed is not { } observed ? null
        : Era is { } era && Instance.Expected[era] == Verdict.XFail && observed == Verdict.Fail ? "XFAIL"
        : VerdictText.Format(observed);

    /// <summary>Compares; <paramref name="model"/> runs (or looks up) the model under an era, only when the kernel gave a verdict.</summary>
    public static LiveComparison Of(LiveKernelResult live, Era? era, Func<Era, RunResult> model) =>
        new(live, era, era is { } kernelEra && live.Outcome == LiveOutcome.Ran ? model(kernelEra) : null);
}
