using System.Diagnostics;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.Scale;

/// <summary>The managed heap after a full collection, and the process's peak resident set, after one phase of a run.</summary>
internal sealed record HeapProbe(string Phase, Measured Time, long LiveHeapBytes, long HeapSizeBytes, long PeakWorkingSetBytes)
{
    public static HeapProbe Take(string phase, Measured time)
    {
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var self = Process.GetCurrentProcess();
        return new HeapProbe(phase, time, live, info.HeapSizeBytes, self.PeakWorkingSet64);
    }
}
