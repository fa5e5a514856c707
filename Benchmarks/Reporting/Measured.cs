using System.Diagnostics;

namespace CowGuard.Benchmarks.Reporting;

/// <summary>
/// Wall-clock and process CPU time of one piece of single-threaded work. On a shared machine the wall clock also
/// counts time the work spent waiting for a core; the CPU time does not, so it is the load-independent figure.
/// </summary>
internal readonly record struct Measured(TimeSpan Wall, TimeSpan Cpu)
{
    public static Measured Of(Action work)
    {
        var cpu = CpuNow();
        var wall = Stopwatch.StartNew();
        work();
        wall.Stop();
        return new Measured(wall.Elapsed, CpuNow() - cpu);
    }

    public static async Task<(T Result, Measured Time)> OfAsync<T>(Func<Task<T>> work)
    {
        var cpu = CpuNow();
        var wall = Stopwatch.StartNew();
        var result = await work().ConfigureAwait(false);
        wall.Stop();
        return (result, new Measured(wall.Elapsed, CpuNow() - cpu));
    }

    public static Measured operator +(Measured a, Measured b) => new(a.Wall + b.Wall, a.Cpu + b.Cpu);

    public static Measured operator -(Measured a, Measured b) => new(a.Wall - b.Wall, a.Cpu - b.Cpu);

    private static TimeSpan CpuNow()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
