namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// How long and how wide the concurrency stress test runs. CI: a few seconds per era, 2 processes × 3 threads.
/// COWGUARD_LONG_RUNS=1: a minute per era, 3 processes × 3 threads, a seed that changes per run.
/// </summary>
internal sealed record StressBudget(TimeSpan Duration, int Roots, int ThreadsPerRoot, int BaseSeed, bool Long)
{
    public static StressBudget Current { get; } = Environment.GetEnvironmentVariable("COWGUARD_LONG_RUNS") == "1"
        ? new StressBudget(TimeSpan.FromSeconds(60), Roots: 3, ThreadsPerRoot: 3, BaseSeed: Environment.TickCount, Long: true)
        : new StressBudget(TimeSpan.FromSeconds(3), Roots: 2, ThreadsPerRoot: 3, BaseSeed: 20_201_129, Long: false);

    /// <summary>How long a thread may take to stop after the run's end before the test calls it a deadlock.</summary>
    public static TimeSpan StopTimeout { get; } = TimeSpan.FromSeconds(60);
}
