namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Runs on 1 GiB hugetlb pages fill, copy, read and compare 262144 base pages per step: about half a second of CPU per
/// run (1.5 s with an invariant check after every operation), where every other backing takes milliseconds. The
/// matrix lets users opt in; the catalogue tests run them.
/// </summary>
internal static class GiganticPages
{
    public static bool Uses(ScenarioInstance instance) => instance.Backing?.ParameterValue?.Value == 1UL << 30;
}
