namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Runs on 1 GiB hugetlb pages fill, copy, read and compare 262144 base pages per step: about a minute or two per
/// run on this machine kind (2 cores), where every other backing takes milliseconds. Callers let users opt in.
/// </summary>
internal static class GiganticPages
{
    public static bool Uses(ScenarioInstance instance) => instance.Backing?.ParameterValue?.Value == 1UL << 30;
}
