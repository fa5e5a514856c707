namespace CowGuard.Scenarios.Verdicts;

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
