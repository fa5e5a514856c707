namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A snapshot of the machine settings a scenario program may change (every per-size THP 'enabled' knob, every
/// hugetlb pool size and the KSM knobs ksm_merge sets). <see cref="Dispose"/> writes back whatever differs, so a run never leaves the machine changed,
/// even when the program was killed on timeout.
/// </summary>
internal sealed class MachineKnobs : IDisposable
{
    private readonly Dictionary<string, string> _saved = new(StringComparer.Ordinal);

    private MachineKnobs()
    {
    }

    public static MachineKnobs Snapshot()
    {
        var knobs = new MachineKnobs();
        foreach (var path in KnobPaths())
        {
            if (KernelFacts.Read(path) is { } value)
            {
                knobs._saved[path] = KernelFacts.Selected(value)!;
            }
        }

        return knobs;
    }

    /// <summary>Restores every changed knob; failures are collected and reported after trying all of them.</summary>
    public void Dispose()
    {
        var failures = new List<string>();
        foreach (var (path, value) in _saved)
        {
            if (KernelFacts.Selected(KernelFacts.Read(path)) == value)
            {
                continue;
            }

            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{path} = {value}: {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new IOException("could not restore machine settings: " + string.Join("; ", failures));
        }
    }

    private static IEnumerable<string> KnobPaths()
    {
        const string thp = "/sys/kernel/mm/transparent_hugepage";
        const string hugetlb = "/sys/kernel/mm/hugepages";
        var thpKnobs = Directory.Exists(thp) ? Directory.EnumerateDirectories(thp, "hugepages-*kB").Select(d => Path.Combine(d, "enabled")) : [];
        var pools = Directory.Exists(hugetlb) ? Directory.EnumerateDirectories(hugetlb, "hugepages-*kB").Select(d => Path.Combine(d, "nr_hugepages")) : [];
        var ksm = new[] { "run", "pages_to_scan", "sleep_millisecs", "smart_scan", "use_zero_pages" }.Select(k => Path.Combine("/sys/kernel/mm/ksm", k));
        return thpKnobs.Concat(pools).Concat(ksm).Where(File.Exists);
    }
}
