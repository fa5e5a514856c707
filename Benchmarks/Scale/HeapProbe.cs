using System.Diagnostics;

namespace CowGuard.Benchmarks.Scale;

/// <summary>The managed heap after a full collection, and the process's peak resident set, at one phase of a run.</summary>
internal sealed record HeapProbe(string Phase, TimeSpan Elapsed, long LiveHeapBytes, long HeapSizeBytes, long PeakWorkingSetBytes)
{
    public static HeapProbe Take(string phase, TimeSpan elapsed)
    {
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var self = Process.GetCurrentProcess();
        return new HeapProbe(phase, elapsed, live, info.HeapSizeBytes, self.PeakWorkingSet64);
    }
}
