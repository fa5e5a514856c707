using CowGuard.Scenarios.LiveKernel;

namespace CowGuard.Cli.Kernel;

/// <summary>The "[LIVE]" block <c>run --kernel</c> prints after an instance's model runs.</summary>
internal static class LiveRunPrinter
{
    public static void Print(TextWriter output, LiveKernelRun run, LiveComparison comparison)
    {
        output.WriteLine($"[LIVE] {comparison.Instance.DisplayName}   (live kernel: {run.Title})");
        foreach (var check in comparison.Live.Checks)
        {
            output.WriteLine($"  {check.Format()}");
        }

        if (comparison.Live.Unchecked.Count > 0)
        {
            output.WriteLine($"  not observable on a live kernel, left out: {string.Join(", ", comparison.Live.Unchecked.Select(c => $"\"{c.Label}\""))}");
        }

        output.WriteLine($"  => {run.Outcome(comparison)}");
    }
}
