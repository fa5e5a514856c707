using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Runs the whole built-in catalogue once on the live kernel and under the AnonExclusive model (the era of every
/// kernel since 5.19). As root with no swap it adds a temporary swap file for the swapped-out backings and removes
/// it afterwards; THP and hugetlb settings are restored by the backend after every program.
/// </summary>
public sealed class LiveKernelFixture : IDisposable
{
    private readonly TemporarySwapFile? _swap;

    public LiveKernelFixture()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = KernelFacts.Detect();
        _swap = TemporarySwapFile.TryCreate(before, 512, out var swapReason);
        SwapNote = _swap is null ? $"no temporary swap file ({swapReason})" : "temporary 512 MiB swap file";
        try
        {
            Backend = new LiveKernelBackend(KernelFacts.Detect(), TimeSpan.FromSeconds(60));
            var instances = BuiltInCatalogue.LoadAll();
            var live = Backend.RunAll(instances);

            // The model only runs where the kernel gave a verdict: a skipped instance has nothing to compare.
            Results = live.Select(result => LiveComparison.Of(result, Era.AnonExclusive, era => Interpreter.Run(result.Instance, era, RunOptions.Default)))
                .ToDictionary(c => c.Instance.Id, StringComparer.Ordinal);
            Elapsed = clock.Elapsed;
        }
        catch
        {
            _swap?.Dispose(); // xunit does not dispose a fixture whose constructor threw
            throw;
        }
    }

    internal LiveKernelBackend Backend { get; }

    internal string SwapNote { get; }

    /// <summary>How long the whole comparison took (swap file, compiling, running, the model's runs).</summary>
    internal TimeSpan Elapsed { get; }

    internal IReadOnlyDictionary<string, LiveComparison> Results { get; }

    public void Dispose() => _swap?.Dispose();
}
