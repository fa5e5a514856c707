using CowGuard.Benchmarks.Kernel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// One row of the model/kernel table: a model operation and the kernel mode that does the same work on the same
/// pages, both in nanoseconds per page. Rows without a kernel twin carry the reason instead.
/// </summary>
/// <param name="ModelNsPerPage">BenchmarkDotNet's median (iterations of 250 ms).</param>
/// <param name="SingleCallNsPerPage">The median of single calls (<see cref="SingleCallTimer"/>), the kernel side's method.</param>
internal sealed record Comparison(string Operation, int Pages, double ModelNsPerPage, double? SingleCallNsPerPage, double? KernelNsPerPage, string Note)
{
    public double? Ratio => KernelNsPerPage is { } kernel && kernel > 0 ? ModelNsPerPage / kernel : null;

    /// <summary>Median of single calls over the kernel's median of single runs: like with like, under any load.</summary>
    public double? SingleCallRatio => KernelNsPerPage is { } kernel && kernel > 0 && SingleCallNsPerPage is { } model ? model / kernel : null;

    /// <summary>The pairs: model benchmark description → cowbench mode (null: no twin on this machine, with why).</summary>
    private static readonly (string Model, string? Kernel, string Note)[] Pairs =
    [
        ("fork+exit", "fork", "fork of N touched pages, child exits"),
        ("fork+write all+exit", "cow", "fork, parent writes every page while the child lives"),
        ("mmap+read fault (zero page)+munmap", "zero", "read fault maps the zero page"),
        ("io_uring register+unregister (pin+unpin)", "iouring", "FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE"),
        ("pin_user_pages+unpin", "iouring", "kernel twin: io_uring buffer registration"),
        ("vmsplice+drain", "vmsplice", "GUP-fast FOLL_GET into a pipe, drained by read"),
        ("GUP-fast get+put (write)", "vmsplice", "kernel twin: vmsplice (GUP-fast without FOLL_WRITE) + drain"),
        ("MADV_PAGEOUT+swap-in read", null, "model only: the machine has no swap device"),
        ("KSM scan (merge 2N→1)+unmerge by write", null, "model only: ksmd merges asynchronously (no per-call cost to time)"),
    ];

    /// <summary>Whether a model benchmark has a kernel twin (the only ones a ratio, and so a single-call median, is for).</summary>
    public static bool HasKernelTwin(string operation) => Pairs.Any(p => p.Model == operation && p.Kernel is not null);

    public static IReadOnlyList<Comparison> Build(IReadOnlyList<ModelMeasurement> model, IReadOnlyList<ModelMeasurement> singleCalls, IReadOnlyList<KernelMeasurement> kernel)
    {
        var rows = new List<Comparison>();
        foreach (var pages in model.Select(m => m.Pages).Distinct().Order())
        {
            foreach (var (modelName, kernelMode, note) in Pairs)
            {
                var m = model.FirstOrDefault(x => x.Operation == modelName && x.Pages == pages);
                if (m is null)
                {
                    continue;
                }

                var k = kernelMode is null ? null : kernel.FirstOrDefault(x => x.Mode == kernelMode && x.Pages == pages);
                var single = singleCalls.FirstOrDefault(x => x.Operation == modelName && x.Pages == pages);
                rows.Add(new Comparison(modelName, pages, m.MedianNanoseconds / pages, single?.MedianNanoseconds / pages, k?.MedianNanoseconds / pages, note));
            }

            rows.AddRange(DerivedCowFault(model, singleCalls, kernel, pages));
        }

        return rows;
    }

    /// <summary>The COW write fault alone: (fork + write every page) − fork, per page, on both sides.</summary>
    private static IEnumerable<Comparison> DerivedCowFault(IReadOnlyList<ModelMeasurement> model, IReadOnlyList<ModelMeasurement> singleCalls, IReadOnlyList<KernelMeasurement> kernel, int pages)
    {
        var modelFork = model.FirstOrDefault(x => x.Operation == "fork+exit" && x.Pages == pages);
        var modelCow = model.FirstOrDefault(x => x.Operation == "fork+write all+exit" && x.Pages == pages);
        if (modelFork is null || modelCow is null)
        {
            yield break;
        }

        var singleFork = singleCalls.FirstOrDefault(x => x.Operation == "fork+exit" && x.Pages == pages);
        var singleCow = singleCalls.FirstOrDefault(x => x.Operation == "fork+write all+exit" && x.Pages == pages);
        double? singleFault = singleFork is null || singleCow is null ? null : (singleCow.MedianNanoseconds - singleFork.MedianNanoseconds) / pages;

        var kernelFork = kernel.FirstOrDefault(x => x.Mode == "fork" && x.Pages == pages);
        var kernelCow = kernel.FirstOrDefault(x => x.Mode == "cow" && x.Pages == pages);
        double? kernelFault = kernelFork is null || kernelCow is null ? null : (kernelCow.MedianNanoseconds - kernelFork.MedianNanoseconds) / pages;
        yield return new Comparison(
            "COW write fault (derived)", pages, (modelCow.MedianNanoseconds - modelFork.MedianNanoseconds) / pages, singleFault, kernelFault,
            "(fork+write all) − fork: do_wp_page → wp_page_copy");
    }
}
