namespace CowGuard.Exploration;

/// <summary>The properties every run is checked against, after every step.</summary>
public enum Oracle
{
    /// <summary>The model's own invariant checker threw, or an operation crashed with an untyped exception: a model bug.</summary>
    ModelBug,

    /// <summary>A process read bytes different from what it last wrote or inherited (and that it knew).</summary>
    ProcessView,

    /// <summary>A process, or a reference/pipe it owns, read bytes it neither wrote nor inherited (CVE-2020-29374 class).</summary>
    Isolation,

    /// <summary>A write pin's device view differs from the pinning process's view while the page is still mapped there.</summary>
    WritePinCoherence,

    /// <summary>A R/O pin the era promises to keep coherent (5.19+: FAULT_FLAG_UNSHARE) differs from the process view.</summary>
    ReadOnlyPinCoherence,
}

/// <summary>The first oracle failure of a run: at which executed step, and what was seen.</summary>
internal sealed record Violation(Oracle Oracle, int Step, string Detail);

/// <summary>The outcome of running one sequence.</summary>
internal sealed record RunResult(IReadOnlyList<ExecutedStep> Executed, Violation? Violation, int ExemptHugetlbGetLeaks);
