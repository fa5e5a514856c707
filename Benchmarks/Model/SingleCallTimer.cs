using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// The model benchmarks timed the way cowbench.c times the kernel: the median of single calls, each timed on its own
/// (after <see cref="WarmupCalls"/> untimed ones). BenchmarkDotNet's iterations last 250 ms, so on a loaded machine
/// nearly every iteration includes time the process spent waiting for a core; a single call of a few microseconds
/// usually runs undisturbed, as the kernel side's iterations do, so the median of single calls on both sides compares
/// like with like under any load (on an idle machine the two model figures agree).
/// </summary>
internal static class SingleCallTimer
{
    private const int WarmupCalls = 5;

    /// <summary>Median nanoseconds of one call of every [Benchmark] method with a kernel twin, per page count.</summary>
    public static IReadOnlyList<ModelMeasurement> Run(IReadOnlyList<int> pageCounts, bool quick)
    {
        var results = new List<ModelMeasurement>();
        foreach (var suite in ModelBenchmarkRunner.Suites)
        {
            var setup = suite.GetMethods().Single(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null);
            var benchmarks = suite.GetMethods()
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is { Description: { } name } && Comparison.HasKernelTwin(name))
                .ToList();
            if (benchmarks.Count == 0)
                continue;
            foreach (var pages in pageCounts)
            {
                var instance = Activator.CreateInstance(suite)!;
                suite.GetProperty("Pages")!.SetValue(instance, pages);
                setup.Invoke(instance, null);
                foreach (var method in benchmarks)
                {
                    var name = method.GetCustomAttribute<BenchmarkAttribute>()!.Description!;
                    results.Add(new ModelMeasurement(name, pages, Median(instance, method, Calls(pages, quick)), null));
                }
            }
        }

        return results;
    }

    /// <summary>As many calls as cowbench.c's full runs make at 1k pages and more at bigger sizes (at least 11).</summary>
    private static int Calls(int pages, bool quick) => quick ? 11 : Math.Clamp(2_000_000 / pages, 11, 201);

    private static double Median(object instance, MethodInfo method, int calls)
    {
        for (var i = 0; i < WarmupCalls; i++)
            method.Invoke(instance, null);
        var times = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            method.Invoke(instance, null);
            times[i] = Stopwatch.GetElapsedTime(started).TotalNanoseconds;
        }

        Array.Sort(times);
        return times[calls / 2];
    }
}
