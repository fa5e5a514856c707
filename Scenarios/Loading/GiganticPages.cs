namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Runs on 1 GiB hugetlb pages touch 262144 base pages per huge page; the current model handles each 4 KiB access of
/// such a folio in time proportional to the folio, so one run takes minutes. Callers let users opt in.
/// </summary>
internal static class GiganticPages
{
    public static bool Uses(ScenarioInstance instance) => instance.Backing?.ParameterValue?.Value == 1UL << 30;
}
