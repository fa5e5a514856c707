using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CowGuard.Benchmarks.Reporting;
using CowGuard.Benchmarks.Model;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Scale;

/// <summary>
/// `random-ops`: single-threaded throughput of a random mix of model operations on a forked pair of processes sharing
/// N pages (so writes take COW faults): 50% byte reads, 30% byte writes, 10% GUP-fast get+put of one page (FOLL_WRITE),
/// 5% pin+unpin of one page (FOLL_WRITE|FOLL_LONGTERM), 5% MADV_DONTNEED of one page. Deterministic for a seed. The
/// target (issue 18) is per CPU second of this single-threaded process, which other processes' load does not inflate.
/// </summary>
internal static class RandomOpsCommand
{
    private const double TargetOpsPerCpuSecond = 1_500_000;

    public static Command Create()
    {
        var pages = CommandOptions.PositiveInt("--pages", 65_536, "Pages shared by the two processes.");
        var ops = CommandOptions.PositiveInt("--ops", 5_000_000, "Timed operations.");
        var warmupOption = CommandOptions.OptionalPositiveInt("--warmup", "Warm-up operations (default: the smaller of --ops and 100,000).");
        var output = CommandOptions.Out();
        var command = new Command("random-ops", "Single-threaded random model operations per second.") { pages, ops, warmupOption, output };
        command.SetAction(parse => BenchmarkCommand.Guard(() =>
        {
            var operations = parse.GetValue(ops);
            // The warm-up runs the same mix with another seed: the default only JIT-compiles the paths; a warm-up of a
            // few million operations also materialises most pages' bytes first, so the timed run measures the steady
            // state rather than the first touch of every page frame.
            var warmup = parse.GetValue(warmupOption) ?? Math.Min(operations, 100_000);
            return Run(parse.GetValue(pages), operations, warmup, CommandOptions.Created(parse.GetValue(output)!));
        }));
        return command;
    }

    private static int Run(int pages, int operations, int warmup, string outDir)
    {
        var (machine, parent, start) = ModelWorld.ProcessWithTouchedPages(pages);
        var child = parent.Fork();
        VmProcess[] processes = [parent, child];

        Execute(processes, start, pages, warmup, seed: 1, Mix);
        var cpuBefore = CpuTime();
        var stopwatch = Stopwatch.StartNew();
        var checksum = Execute(processes, start, pages, operations, seed: 8, Mix);
        stopwatch.Stop();
        var cpu = CpuTime() - cpuBefore;

        var perSecond = operations / stopwatch.Elapsed.TotalSeconds;
        var perCpuSecond = operations / cpu.TotalSeconds;
        var verdict = perCpuSecond >= TargetOpsPerCpuSecond ? "target met (≥ 1,500,000 per CPU second)" : "target missed (< 1,500,000 per CPU second)";
        var report = new StringBuilder(string.Create(
            CultureInfo.InvariantCulture,
            $"Random model operations: {operations:N0} ops (after {warmup:N0} warm-up ops) on 2 processes x {pages:N0} shared pages in {stopwatch.Elapsed.TotalSeconds:F2} s = {perSecond:N0} ops/s single-threaded (wall clock); **{perCpuSecond:N0} ops per CPU second** (load-independent); {verdict} (checksum {checksum}; load average {LoadAverage()})\n\n"));

        // Each kind alone on the same (now well-mixed) processes: names the operation that limits the mix.
        var table = new MarkdownTable("operation alone", "ops/s (wall)", "ops per CPU second", "GCs gen0/1/2", "GC pause % of wall");
        foreach (var (name, kind) in Kinds)
        {
            var count = Math.Max(operations / 10, 1);
            var gcBefore = GcCounts();
            var pauseBefore = GC.GetTotalPauseDuration();
            var aloneCpu = CpuTime();
            var alone = Stopwatch.StartNew();
            Execute(processes, start, pages, count, seed: 3, kind);
            alone.Stop();
            aloneCpu = CpuTime() - aloneCpu;
            var gcs = GcCounts().Zip(gcBefore, (after, before) => after - before);
            table.Row(
                name,
                (count / alone.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                (count / aloneCpu.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                string.Join('/', gcs),
                (100 * (GC.GetTotalPauseDuration() - pauseBefore) / alone.Elapsed).ToString("F0", CultureInfo.InvariantCulture) + "%");
        }

        GC.KeepAlive(machine);
        report.Append(table);
        File.WriteAllText(Path.Combine(outDir, $"random-ops-warmup-{warmup}.md"), report.ToString());
        Console.WriteLine(report);
        return 0;
    }

    /// <summary>CPU time of this process: on a shared 2-core machine wall time also counts other people's builds.</summary>
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static int[] GcCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>The 1-minute load average while the run ended (Linux), to state next to the figures.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static readonly (string Name, int Kind)[] Kinds =
        [("read byte", 0), ("write byte (COW / reuse)", 50), ("GUP-fast get+put 1 page", 80), ("pin+unpin 1 page", 90), ("MADV_DONTNEED 1 page", 95)];

    /// <summary>The kind of the mix: negative means the roll of a 100-sided die picks it (thresholds in <see cref="Execute"/>).</summary>
    private const int Mix = -1;

    private static long Execute(VmProcess[] processes, ulong start, int pages, int operations, int seed, int kind)
    {
        var random = new OperationRandom((ulong)seed);
        long checksum = 0;
        for (var i = 0; i < operations; i++)
        {
            var process = processes[random.Next(processes.Length)];
            var address = start + ((ulong)random.Next(pages) * ModelWorld.PageSize) + (ulong)random.Next((int)ModelWorld.PageSize);
            var pick = kind < 0 ? random.Next(100) : kind;
            checksum += pick switch
            {
                < 50 => process.ReadByte(address),
                < 80 => WriteByte(process, address, (byte)i),
                < 90 => GetAndPut(process, address),
                < 95 => PinAndUnpin(process, address),
                _ => DontNeed(process, address),
            };
        }

        return checksum;
    }

    private static int WriteByte(VmProcess process, ulong address, byte value)
    {
        process.WriteByte(address, value);
        return value;
    }

    private static int GetAndPut(VmProcess process, ulong address)
    {
        using var references = Gup.GetUserPagesFast(process, PageStart(address), 1, FollFlags.Write);
        return references.PageCount;
    }

    private static int PinAndUnpin(VmProcess process, ulong address)
    {
        using var pins = Gup.PinUserPages(process, PageStart(address), 1, FollFlags.Write | FollFlags.Longterm);
        return pins.PageCount;
    }

    private static int DontNeed(VmProcess process, ulong address)
    {
        process.Madvise(PageStart(address), ModelWorld.PageSize, Advice.DontNeed);
        return 1;
    }

    private static ulong PageStart(ulong address) => address & ~(ModelWorld.PageSize - 1);
}
