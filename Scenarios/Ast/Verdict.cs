namespace CowGuard.Scenarios.Ast;

/// <summary>
/// The outcome of one scenario run: every <c>expect</c> held (Pass) or at least one did not (Fail). A declared
/// XFail is a Fail the kernel itself documents as known (cow.c's "# XFAIL" for hugetlb vmsplice).
/// </summary>
internal enum Verdict
{
    Pass,
    Fail,
    XFail,
}

/// <summary>The four COW eras (kernel-cow-gup.md §0): M ≤5.7, F 5.8, R 5.9–5.18, X 5.19+.</summary>
internal enum EraCode
{
    M,
    F,
    R,
    X,
}

internal static class VerdictText
{
    public static string Format(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "FAIL",
        _ => "XFAIL",
    };

    /// <summary>Does an observed outcome (Pass or Fail) match a declared verdict? XFAIL expects a failure.</summary>
    public static bool Matches(Verdict declared, Verdict observed) =>
        declared == Verdict.Pass ? observed == Verdict.Pass : observed != Verdict.Pass;
}
