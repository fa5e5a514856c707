using System.Runtime.InteropServices;

namespace CowGuard.Benchmarks.Reporting;

/// <summary>
/// CPU time from getrusage(2), the kernel's own account, in microseconds (Process.TotalProcessorTime counts clock ticks
/// of 10 ms). Linux only, like the real-compiler benchmark.
/// </summary>
internal static partial class ResourceUsage
{
    private const int RusageChildren = -1;
    private const int RusageThread = 1;

    /// <summary>User + system time of every child process (and its children) reaped so far. .NET reaps a child before
    /// Process.WaitForExit returns, so the difference across one run is that run's CPU time over all its threads — the
    /// figure a loaded machine inflates far less than wall time.</summary>
    public static TimeSpan ChildrenCpu() => Cpu(RusageChildren);

    /// <summary>User + system time of the calling thread, for timing short synchronous work exactly.</summary>
    public static TimeSpan ThreadCpu() => Cpu(RusageThread);

    private static TimeSpan Cpu(int who)
    {
        if (GetRusage(who, out var usage) != 0)
        {
            throw new BenchmarkFailedException($"getrusage({who}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        var microseconds = (usage.UserSeconds + usage.SystemSeconds) * 1_000_000 + usage.UserMicroseconds + usage.SystemMicroseconds;
        return TimeSpan.FromTicks(microseconds * 10);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private long _maxrss;
        private long _ixrss;
        private long _idrss;
        private long _isrss;
        private long _minflt;
        private long _majflt;
        private long _nswap;
        private long _inblock;
        private long _oublock;
        private long _msgsnd;
        private long _msgrcv;
        private long _nsignals;
        private long _nvcsw;
        private long _nivcsw;
    }
}
