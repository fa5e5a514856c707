using BenchmarkDotNet.Attributes;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// fork of a process with N touched pages (copy_page_range: every PTE write-protected and shared, anon rmap dup'ed via
/// folio_try_dup_anon_rmap), and fork followed by a write to every page in the parent while the child lives
/// (do_wp_page → wp_page_copy per page). The C twin is Kernel/cowbench.c `fork` and `cow`.
/// </summary>
public class ForkBenchmarks
{
    private VmProcess _parent = null!;
    private ulong _start;
    private byte _value;

    [ParamsSource(nameof(PageCounts))]
    public int Pages { get; set; }

    public static IEnumerable<int> PageCounts => ModelBenchmarkSettings.PageCounts;

    [GlobalSetup]
    public void Setup() => (_, _parent, _start) = ModelWorld.ProcessWithTouchedPages(Pages);

    [Benchmark(Description = "fork+exit")]
    public void ForkAndExit() => _parent.Fork().Exit();

    [Benchmark(Description = "fork+write all+exit")]
    public void ForkWriteAllAndExit()
    {
        var child = _parent.Fork();
        ModelWorld.WriteEveryPage(_parent, _start, Pages, ++_value);
        child.Exit();
    }
}
