using System.Diagnostics;
using CowGuard.Exploration;
using CowGuard.VmModel;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// Property-based model checking over random operation sequences (several processes, THP and hugetlb, GUP with
/// random flags, vmsplice, swap, KSM, clear_refs, uffd-wp, exits). Under AnonExclusive every oracle holds; under
/// the older eras the search finds the documented violations (kernel-cow-gup.md §4) and shrinks them to the
/// minimal sequences kept in Scenarios/Catalogue/regressions/.
/// </summary>
public sealed class ModelPropertyTests(ITestOutputHelper output)
{
    private static readonly HashSet<Oracle> AllOracles = [.. Enum.GetValues<Oracle>()];

    [Fact]
    public void AnonExclusive_keeps_every_oracle_on_every_generated_sequence()
    {
        var budget = PropertyBudget.Current;
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (iterations, steps, exempt) = (0, 0, 0);
        while (iterations < budget.MaxIterations && (clock.Elapsed < budget.Time || iterations < budget.MinIterations))
        {
            var seed = PropertyBudget.BaseSeed + (ulong)iterations;
            var run = ModelRun.Run(Era.AnonExclusive, CounterexampleSearch.Generate(budget.MaxLength, seed), AllOracles);
            Assert.True(run.Violation is null, $"seed {seed}: {run.Violation}\n{Print(run)}");
            (iterations, steps, exempt) = (iterations + 1, steps + run.Executed.Count, exempt + run.ExemptHugetlbGetLeaks);
        }

        output.WriteLine($"AnonExclusive: {iterations} sequences from seed {PropertyBudget.BaseSeed} (stream {CounterexampleSearch.Stream}), {steps} executed steps, {clock.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F1} s CPU, {exempt} hugetlb FOLL_GET leaks (cow.c XFAIL)");
        Assert.True(iterations >= budget.MinIterations);
        Assert.True(steps >= iterations * 5, $"only {steps} steps ran in {iterations} sequences: the generator mostly produces steps without a target");
    }

    [SkippableFact]
    public void AnonExclusive_holds_under_a_random_seed_search_in_long_runs()
    {
        Skip.IfNot(PropertyBudget.Current.Long, "a long run only (COWGUARD_LONG_RUNS=1): the 5-minute CsCheck random-seed search");

        OpGenerator.Sequence(PropertyBudget.Current.MaxLength).Sample(
            ops => ModelRun.Run(Era.AnonExclusive, ops, AllOracles).Violation is null,
            writeLine: output.WriteLine, time: 300, threads: 1,
            print: ops => Print(ModelRun.Run(Era.AnonExclusive, ops, AllOracles)));
    }

    [Fact]
    public void Mapcount_isolation_counterexample_shrinks_to_fork_reference_unmap_write_read()
    {
        var found = FindAndKeep(Era.Mapcount, Oracle.Isolation, "mapcount-reference-outlives-unmap.cow",
            "regression: a reference outlives the unmap and sees another process's write (CVE-2020-29374 class)",
            "B2: reuse_swap_page() counts mapcount + swapcount only, so after the sharer drops its mapping the writer reuses the page a GUP/pipe reference still holds.",
            allowed: op => op.Kind != OpKind.DeviceWrite);

        var kinds = found.Select(s => s.Kind).ToList();
        Assert.Equal(5, kinds.Count);
        Assert.Contains(OpKind.Fork, kinds);
        Assert.Single(kinds, k => k is >= OpKind.GetUserPages and <= OpKind.Vmsplice);
        Assert.Single(kinds, k => k is OpKind.Munmap or OpKind.DontNeed or OpKind.Exit or OpKind.SwapOut);
        Assert.Single(kinds, k => k is OpKind.Fill or OpKind.DeviceWrite);
        Assert.Contains(kinds[^1], new[] { OpKind.DeviceRead, OpKind.PipeRead, OpKind.Read });
        Assert.Equal(Oracle.Isolation, found[^1].Check?.Oracle);
    }

    [Fact]
    public void Mapcount_DMA_isolation_counterexample_shrinks_to_pin_fork_device_write_child_read()
    {
        var found = FindAndKeep(Era.Mapcount, Oracle.Isolation, "mapcount-dma-into-child.cow",
            "regression: DMA through a write pin taken before fork() lands in the child",
            "B11: before 5.9 copy_present_pte shares a pinned page with the child (no page_maybe_dma_pinned check), so device writes reach the child.");

        Assert.Equal([OpKind.Fork, OpKind.DeviceWrite, OpKind.Read], found.Select(s => s.Kind).Skip(1));
        Assert.True((found[0].Flags & FollFlags.Write) != 0 && found[0].Kind is >= OpKind.PinUserPages and <= OpKind.PinUserPagesRemote);
    }

    [Fact]
    public void ForcedCowGup_write_pin_counterexample_shrinks_to_pin_fork_write()
    {
        var found = FindAndKeep(Era.ForcedCowGup, Oracle.WritePinCoherence, "forcedcowgup-write-pin-fork.cow",
            "regression: fork() with a write-pinned page detaches the pin from the parent",
            "B11: before 5.9 fork shares a pinned page R/O; the parent's next write copies (mapcount 2) and the pin keeps the page the child now owns.");

        Assert.Equal([OpKind.PinUserPages, OpKind.Fork, OpKind.Fill], found.Select(s => s.Kind is OpKind.PinUserPagesFast or OpKind.PinUserPagesRemote ? OpKind.PinUserPages : s.Kind));
        Assert.True((found[0].Flags & FollFlags.Write) != 0);
        Assert.Equal(found[0].Process, found[2].Process);
    }

    [Fact]
    public void Refcount_read_only_pin_counterexample_shrinks_to_fork_pin_write()
    {
        var found = FindAndKeep(Era.Refcount, Oracle.ReadOnlyPinCoherence, "refcount-ro-pin-incoherent.cow",
            "regression: a R/O pin of a COW-shared page goes stale when the pinner writes",
            "B3: 5.9-5.18 GUP does not unshare for R/O pins; the write fault sees page_count > 1 and copies away from the pinned page.");

        var kinds = found.Select(s => s.Kind).ToList();
        Assert.Equal(3, kinds.Count);
        Assert.Contains(OpKind.Fork, kinds);
        var pin = Assert.Single(found, s => s.Kind is >= OpKind.PinUserPages and <= OpKind.PinUserPagesRemote);
        Assert.Equal(FollFlags.None, pin.Flags & (FollFlags.Write | FollFlags.BreakCow));
        Assert.Equal(OpKind.Fill, kinds[^1]);
    }

    [Fact]
    public void A_shrunk_sequence_cannot_lose_a_step_and_still_fail()
    {
        var found = CounterexampleSearch.Find(Era.Mapcount, Oracle.Isolation, PropertyBudget.SearchIterations, PropertyBudget.SearchLength, PropertyBudget.BaseSeed, op => op.Kind != OpKind.DeviceWrite);
        Assert.NotNull(found);
        for (var i = 0; i < found.Shrunk.Length; i++)
        {
            Assert.False(CounterexampleSearch.Fails(Era.Mapcount, Oracle.Isolation, found.Shrunk.Where((_, j) => j != i)), $"step {i} is not needed");
        }

        Assert.False(CounterexampleSearch.Fails(Era.AnonExclusive, Oracle.Isolation, found.Shrunk));
    }

    /// <summary>Finds, shrinks and prints a counterexample, and checks it against the kept regression scenario.</summary>
    private List<ExecutedStep> FindAndKeep(Era era, Oracle oracle, string fileName, string scenarioName, string why, Func<Op, bool>? allowed = null)
    {
        var found = CounterexampleSearch.Find(era, oracle, PropertyBudget.SearchIterations, PropertyBudget.SearchLength, PropertyBudget.BaseSeed, allowed);
        Assert.True(found is not null, $"no {oracle} violation under {era} within {PropertyBudget.SearchIterations} sequences");
        Assert.Equal(oracle, found.ShrunkRun.Violation?.Oracle);

        var verdicts = Era.All.ToDictionary(e => e.Name, e => CounterexampleSearch.Fails(e, oracle, found.Shrunk));
        Assert.False(verdicts[Era.AnonExclusive.Name], $"the counterexample also fails under AnonExclusive:\n{Print(found.ShrunkRun)}");
        var text = ScenarioWriter.Write(scenarioName,
            [
                $"Shrunk counterexample of the property-based model checker (Runtime.Tests/Properties/{nameof(ModelPropertyTests)}).",
                $"Oracle: {oracle}; found under {era} in sequence {found.Iteration} (PCG stream {CounterexampleSearch.Stream}, seed {PropertyBudget.BaseSeed + (ulong)found.Iteration}),",
                $"generated with {found.GeneratedLength} steps, shrunk to {found.Shrunk.Length}. Regenerate: COWGUARD_UPDATE_REGRESSIONS=1 dotnet test.",
                why,
            ],
            verdicts, found.ShrunkRun.Executed);
        output.WriteLine(text);

        if (RegressionFiles.Update)
        {
            RegressionFiles.Write(fileName, text);
        }
        else
        {
            var kept = RegressionFiles.Read(fileName);
            Assert.True(kept is not null, $"regressions/{fileName} is missing; its content would be:\n{text}");
            Assert.Equal(kept.ReplaceLineEndings("\n"), text.ReplaceLineEndings("\n"));
        }

        return found.ShrunkRun.Executed.ToList();
    }

    private static string Print(RunResult run) =>
        $"{run.Violation}\n" + string.Join("\n", run.Executed.Select((s, i) => $"  {i}: {s.Op} -> p{s.Process} h{s.Handle} v{s.Value}"));
}
