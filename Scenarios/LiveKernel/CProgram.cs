using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A scenario instance translated to C: its entry function's name and text (see <see cref="CProgramBatch"/>), the <c>expect</c>s in the order the program prints
/// them (CHECK index = position), the checks that cannot be observed on a live kernel (page refcounts, PageAnonExclusive
/// ...) and were left out, and the features the program needs.
/// </summary>
internal sealed record CProgram(
    string Name,
    string Source,
    IReadOnlyList<ExpectStatement> Checks,
    IReadOnlyList<ExpectStatement> UnobservableChecks,
    IReadOnlySet<KernelFeature> Needs);
