using Xunit;
using Xunit.Abstractions;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// Several threads per process and several processes drive one machine at once: faults, COW, GUP get/pin
/// fast/slow/remote with unpin/put, vmsplice, fork (children and grandchildren), exit, munmap/mmap, mprotect,
/// MADV_DONTNEED, MADV_PAGEOUT and KSM, with quiescent invariant checks. Oracles: no deadlock, no unexpected
/// exception, no invariant violation, no lost update, child isolation, write-pin coherence (and R/O-pin coherence in
/// the AnonExclusive era), and no folio left once everything exited. CI runs a few seconds per era;
/// COWGUARD_LONG_RUNS=1 a minute per era with more processes.
/// </summary>
public sealed class ConcurrencyStressTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("AnonExclusive")]
    [InlineData("Refcount")]
    public void Threads_of_several_processes_race_faults_gup_fork_unmap_and_exit_without_deadlock_lost_update_or_violation(string eraName)
    {
        var budget = StressBudget.Current;
        var result = StressRun.Execute(Era.Parse(eraName), budget);
        output.WriteLine($"seed {budget.BaseSeed}, {budget.Roots} processes x {budget.ThreadsPerRoot} threads, {budget.Duration.TotalSeconds} s budget");
        output.WriteLine(result.Report());

        Assert.True(result.Deadlock is null, result.Deadlock);
        Assert.True(result.Failures.Count == 0, string.Join("\n\n", result.Failures));
        Assert.True(result.TotalOperations >= 1_000, $"only {result.TotalOperations} steps ran: the run did not exercise the model");
        Assert.True(result.Events.Forks > 0 && result.Events.FastPages > 0 && result.QuiescentChecks > 0,
            "no fork, no GUP-fast page or no quiescent check happened during the run");
    }
}
