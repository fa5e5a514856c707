using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>One <c>expect</c> as it came out: the check (its identity is <see cref="BoundExpect.Index"/>), whether it held, and both sides as printed.</summary>
internal sealed record CheckResult(BoundExpect Check, bool Passed, string Observed, string Expected)
{
    public string Label => Check.Label;

    public SourceLocation Location => Check.Location;

    public string Format() => Passed
        ? $"PASS {Label}"
        : $"FAIL {Label}: observed {Observed}, expected {Expected} ({Location})";
}

/// <summary>
/// One executed statement and the slice of the machine's event trace it produced (<see cref="FirstEvent"/> ..
/// <see cref="EndEvent"/>), plus, at <c>snapshot</c> statements when asked for, the machine's state; renderers read only these.
/// </summary>
internal sealed record StepRecord(BoundStatement Statement, int FirstEvent, int EndEvent, MachineSnapshot? Snapshot)
{
    public bool FromBacking => Statement.FromBacking;

    /// <summary>What a <c>try</c> returned ("ok" or the fault's name); null for other statements.</summary>
    public Value? Outcome { get; init; }
}

/// <summary>
/// The outcome of running one scenario instance under one era. <see cref="Error"/> is set when the scenario could
/// not run to the end (a model error, a value out of range); the verdict is then meaningless.
/// </summary>
internal sealed record RunResult(
    ScenarioInstance Instance,
    Era Era,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<VmEvent> Events,
    ScenarioException? Error)
{
    /// <summary>The state after the last statement that ran (when snapshots were asked for).</summary>
    public MachineSnapshot? FinalSnapshot { get; init; }

    public Verdict Observed => Checks.All(c => c.Passed) ? Verdict.Pass : Verdict.Fail;

    public Verdict Expected => Instance.Expected[Era];

    /// <summary>Ran to the end and the outcome is what the file declares for this era.</summary>
    public bool MatchesDeclaration => Error is null && VerdictText.Matches(Expected, Observed);
}
