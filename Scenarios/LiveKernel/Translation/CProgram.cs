using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// A scenario instance translated to C: its entry function's name and text (see <see cref="CProgramBatch"/>), the
/// checks it prints (each CHECK line carries the check's <see cref="BoundExpect.Index"/>), the checks a live kernel
/// cannot observe (page refcounts, PageAnonExclusive ...) and that were left out, and the features the program needs.
/// Nothing here depends on where the program will run: this machine's kernel or a guest's.
/// </summary>
internal sealed record CProgram(
    string Name,
    string Source,
    IReadOnlyList<BoundExpect> Checks,
    IReadOnlyList<BoundExpect> UnobservableChecks,
    IReadOnlySet<KernelFeature> Needs);
