using BenchmarkDotNet.Attributes;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// Model-only operations (this machine has no swap device, and ksmd merges asynchronously, so neither has a C twin):
/// MADV_PAGEOUT of N pages and a read fault on each (do_swap_page), and a KSM pass merging N identical pages of two
/// processes and the unmerge by writing them again.
/// </summary>
public class ReclaimBenchmarks
{
    private VmProcess _process = null!;
    private ulong _start;
    private Machine _ksmMachine = null!;
    private VmProcess _ksmA = null!;
    private VmProcess _ksmB = null!;
    private ulong _ksmStartA;
    private ulong _ksmStartB;

    [ParamsSource(nameof(PageCounts))]
    public int Pages { get; set; }

    public static IEnumerable<int> PageCounts => ModelBenchmarkSettings.PageCounts;

    [GlobalSetup]
    public void Setup()
    {
        (_, _process, _start) = ModelWorld.ProcessWithTouchedPages(Pages);
        _ksmMachine = ModelWorld.CreateMachine();
        (_ksmA, _ksmStartA) = MergeableProcess(_ksmMachine, "ksm-a", Pages);
        (_ksmB, _ksmStartB) = MergeableProcess(_ksmMachine, "ksm-b", Pages);
    }

    [Benchmark(Description = "MADV_PAGEOUT+swap-in read")]
    public int SwapOutAndIn()
    {
        _process.Madvise(_start, (ulong)Pages * ModelWorld.PageSize, Advice.PageOut);
        return ModelWorld.ReadEveryPage(_process, _start, Pages);
    }

    [Benchmark(Description = "KSM scan (merge 2N→1)+unmerge by write")]
    public int KsmMergeAndBreak()
    {
        var merged = _ksmMachine.KsmScan();
        ModelWorld.WriteEveryPage(_ksmA, _ksmStartA, Pages, 0x33);
        ModelWorld.WriteEveryPage(_ksmB, _ksmStartB, Pages, 0x33);
        return merged;
    }

    private static (VmProcess Process, ulong Start) MergeableProcess(Machine machine, string name, int pages)
    {
        var process = machine.CreateProcess(name);
        var length = (ulong)pages * ModelWorld.PageSize;
        var start = process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(start, length, 0x33);
        process.Madvise(start, length, Advice.Mergeable);
        return (process, start);
    }
}
