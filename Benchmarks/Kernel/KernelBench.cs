using System.Globalization;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.Kernel;

/// <summary>One live-kernel figure: the median time of one iteration of a cowbench mode on N pages.</summary>
internal sealed record KernelMeasurement(string Mode, int Pages, double MedianNanoseconds, double MinNanoseconds);

/// <summary>
/// Builds Kernel/cowbench.c with gcc and runs its modes on the live kernel. Every mode runs in a fresh process (after
/// one untimed warm-up iteration) and reports the median of its iterations.
/// </summary>
internal sealed class KernelBench
{
    public static readonly string[] Modes = ["fork", "cow", "zero", "iouring", "vmsplice"];

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);
    private readonly string _binary;

    private KernelBench(string binary) => _binary = binary;

    public static KernelBench Build(string outDir)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Kernel", "cowbench.c");
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"the kernel benchmark source is missing next to the harness: {source}", source);
        }

        var binary = Path.Combine(outDir, "cowbench");
        ProcessRunner.Run("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", binary, source], TimeSpan.FromMinutes(2));
        return new KernelBench(binary);
    }

    public KernelMeasurement Run(string mode, int pages, int iterations)
    {
        var output = ProcessRunner.Run(_binary, [mode, pages.ToString(CultureInfo.InvariantCulture), iterations.ToString(CultureInfo.InvariantCulture)], Limit);
        var fields = output.Trim().Split(' ');
        if (fields.Length != 5 || fields[0] != mode ||
            !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var median) ||
            !double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var min))
        {
            throw new ExternalCommandException($"cowbench {mode} {pages}: unexpected output '{output.Trim()}'");
        }

        return new KernelMeasurement(mode, pages, median, min);
    }
}
