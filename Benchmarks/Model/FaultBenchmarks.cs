using BenchmarkDotNet.Attributes;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// Read faults on never-written anonymous memory: do_anonymous_page maps the shared zero page read-only, one fault per
/// page (THP stays off: the model, like the machine, only uses THP under MADV_HUGEPAGE). mmap and munmap are inside the
/// measurement, as in the C twin (cowbench.c `zero`).
/// </summary>
public class FaultBenchmarks
{
    private VmProcess _process = null!;

    [ParamsSource(nameof(PageCounts))]
    public int Pages { get; set; }

    public static IEnumerable<int> PageCounts => ModelBenchmarkSettings.PageCounts;

    [GlobalSetup]
    public void Setup() => _process = ModelWorld.CreateMachine().CreateProcess("bench");

    [Benchmark(Description = "mmap+read fault (zero page)+munmap")]
    public int ZeroPageReadFaults()
    {
        var length = (ulong)Pages * ModelWorld.PageSize;
        var start = _process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        var sum = ModelWorld.ReadEveryPage(_process, start, Pages);
        _process.Munmap(start, length);
        return sum;
    }
}
