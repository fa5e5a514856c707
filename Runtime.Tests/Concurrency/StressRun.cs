using System.Diagnostics;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// One stress run: roots × threads driving one machine for the budgeted time, a checker thread taking quiescent
/// invariant checks (the stop_machine barrier) and draining the trace, then a stop with a deadline and a final
/// audit on the idle machine — every slot holds its last write, every child its inheritance, and once every process
/// exited and every handle was released no folio is left.
/// </summary>
internal static class StressRun
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(20);

    public static StressResult Execute(Era era, StressBudget budget)
    {
        var machine = new Machine(new MachineOptions { Era = era, CheckLockOrder = true });
        var roots = Enumerable.Range(0, budget.Roots).Select(i => new StressRoot(machine, i, budget.ThreadsPerRoot)).ToList();
        var context = new StressContext(machine, roots, readOnlyPinsCoherent: era == Era.AnonExclusive);
        var workers = roots.SelectMany(root => Enumerable.Range(0, budget.ThreadsPerRoot)
            .Select(t => new StressWorker(context, root, t, budget.BaseSeed + root.Index * 100 + t))).ToList();
        machine.Events.Clear();
        var events = new StressEvents();
        var checks = 0;
        var checker = new Thread(() =>
        {
            while (!context.Stopping)
            {
                Thread.Sleep(CheckInterval);
                try
                {
                    machine.CheckInvariants();
                    checks++;
                    events.Tally(machine.Events.Drain());
                }
                catch (Exception e)
                {
                    context.Fail($"quiescent check: {e}");
                }
            }
        }) { IsBackground = true, Name = "stress: checker" };
        var threads = workers.Select(w => new Thread(w.Run) { IsBackground = true, Name = w.Name }).ToList();

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        checker.Start();
        while (clock.Elapsed < budget.Duration && !context.Stopping)
            Thread.Sleep(10);
        context.Stop();
        var stuck = threads.Zip(workers).Where(tw => !tw.First.Join(StressBudget.StopTimeout)).Select(tw => tw.Second.Current).ToList();
        if (!checker.Join(StressBudget.StopTimeout))
            stuck.Add("the checker (CheckInvariants waiting for the stop_machine barrier)");
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var deadlock = stuck.Count == 0 ? null
            : $"{stuck.Count} thread(s) did not stop within {StressBudget.StopTimeout.TotalSeconds} s:\n" + string.Join("\n", workers.Select(w => w.Current));

        if (deadlock is null)
            events.Tally(machine.Events.Drain());
        if (deadlock is null && context.Failures.IsEmpty)
            Audit(context, events);
        var operations = Enum.GetValues<StressOp>().ToDictionary(op => op, op => workers.Sum(w => w.Counts[(int)op]));
        var expected = workers.SelectMany(w => w.ExpectedErrors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        var failures = context.Failures.Select(f => f + RecentEventsOfPagesIn(f, events)).ToList();
        return new StressResult(era, workers.Count, elapsed, cpu, operations, expected, events, checks, failures, deadlock);
    }

    /// <summary>The trace of every page frame a failure names ("pfn N"), to see how it got there.</summary>
    private static string RecentEventsOfPagesIn(string failure, StressEvents events)
    {
        var pfns = System.Text.RegularExpressions.Regex.Matches(failure, @"pfn (\d+)").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct();
        return string.Concat(pfns.Select(pfn => $"\nlast events of pfn {pfn}:\n  " + string.Join("\n  ", events.RecentFor(pfn, 60))));
    }

    private static void Audit(StressContext context, StressEvents events)
    {
        var machine = context.Machine;
        try
        {
            foreach (var root in context.Roots)
            {
                var completed = root.Ledger.SnapshotCompleted();
                var started = root.Ledger.SnapshotStarted();
                var slots = root.ReadAllSlots(root.Process);
                for (var i = 0; i < slots.Length; i++)
                {
                    if (slots[i] != completed[i] || completed[i] != started[i])
                        context.Fail($"{root.Process.Name} slot {i}: reads {slots[i]} after the run, its owner's last write was {completed[i]} (started {started[i]}): lost update");
                }

                foreach (var child in root.Children.TakeAll())
                {
                    var now = root.ReadAllSlots(child.Process);
                    if (!now.SequenceEqual(child.Snapshot))
                        context.Fail($"{child.Process.Name} no longer holds what it inherited: isolation broken");
                    child.Process.Exit();
                }

                root.Process.Exit();
            }

            machine.LruAddDrain();
            machine.CheckInvariants();
            events.Tally(machine.Events.Drain());
            if (machine.LiveFolioCount != 0 || machine.SwapPagesUsed != 0)
                context.Fail($"after every process exited and every handle was released: {machine.LiveFolioCount} folios and {machine.SwapPagesUsed} swap slots are left (a reference was leaked)");
        }
        catch (Exception e)
        {
            context.Fail($"final audit: {e}");
        }
    }
}
