namespace CowGuard.Benchmarks.Model;

/// <summary>
/// The page counts the model benchmarks run at, set by the `model` command before BenchmarkDotNet starts (the
/// benchmarks run in process, so the static is seen by every benchmark instance).
/// </summary>
public static class ModelBenchmarkSettings
{
    public static IReadOnlyList<int> PageCounts { get; set; } = [1024];
}
