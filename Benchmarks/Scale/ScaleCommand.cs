using System.CommandLine;
using System.Globalization;
using CowGuard.Benchmarks.Model;
using CowGuard.Benchmarks.Reporting;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Scale;

/// <summary>
/// `scale`: a simulated process of N pages (4M pages = 16 GiB) filled, forked and fully COWed (the parent rewrites every
/// page while the child maps them all), with the managed heap read after a full GC at each phase. bench.sh runs it
/// under DOTNET_GCHeapHardLimit=2 GiB, so a model that needs more than the target fails with OutOfMemoryException
/// instead of passing on a big machine; that failure is reported with the phase it happened in.
/// </summary>
internal static class ScaleCommand
{
    private const long HeapTargetBytes = 2L << 30;

    public static Command Create()
    {
        var pages = CommandOptions.PositiveInt("--pages", 4 << 20, "Pages of the process (4194304 = 16 GiB).");
        var output = CommandOptions.Out();
        var command = new Command("scale", "A process of N pages filled, forked and fully COWed; the managed heap per phase.") { pages, output };
        command.SetAction(parse => BenchmarkCommand.Guard(() => Run(parse.GetValue(pages), CommandOptions.Created(parse.GetValue(output)!))));
        return command;
    }

    private static int Run(int pages, string outDir)
    {
        var length = (ulong)pages * ModelWorld.PageSize;
        var probes = new List<HeapProbe> { HeapProbe.Take("start", default) };
        var phase = "mmap";
        string? failure = null;
        try
        {
            var machine = ModelWorld.CreateMachine(swapPages: 0);
            var parent = machine.CreateProcess("scale");
            var start = parent.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
            phase = "fill";
            probes.Add(Timed(phase, () => parent.Fill(start, length, 0x11)));
            phase = "fork";
            VmProcess? child = null;
            probes.Add(Timed(phase, () => child = parent.Fork()));
            phase = "COW every page";
            probes.Add(Timed(phase, () => parent.Fill(start, length, 0x22)));
            if (child!.ReadByte(start + length - 1) != 0x11 || parent.ReadByte(start) != 0x22)
            {
                throw new BenchmarkFailedException("after the COW the child must still read the old bytes and the parent the new ones");
            }

            GC.KeepAlive(machine);
        }
        catch (OutOfMemoryException e)
        {
            failure = $"out of managed memory during '{phase}': {e.Message}";
        }

        var report = Render(pages, probes, failure);
        File.WriteAllText(Path.Combine(outDir, "scale.md"), report);
        Console.WriteLine(report);
        return failure is null ? 0 : 1;
    }

    private static HeapProbe Timed(string phase, Action action)
    {
        var probe = HeapProbe.Take(phase, Measured.Of(action));
        Console.WriteLine($"  {phase,-16} {probe.Time.Wall.TotalSeconds,7:F2} s wall {probe.Time.Cpu.TotalSeconds,7:F2} s CPU  live heap {probe.LiveHeapBytes / (1 << 20),6} MiB");
        return probe;
    }

    private static string Render(int pages, IReadOnlyList<HeapProbe> probes, string? failure)
    {
        var limit = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit");
        var table = new MarkdownTable("phase", "wall s", "CPU s", "live managed heap MiB (after full GC)", "GC heap size MiB", "peak working set MiB");
        foreach (var probe in probes)
        {
            table.Row(
                probe.Phase,
                probe.Time.Wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                probe.Time.Cpu.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                Mib(probe.LiveHeapBytes),
                Mib(probe.HeapSizeBytes),
                Mib(probe.PeakWorkingSetBytes));
        }

        var peak = probes.Max(p => p.LiveHeapBytes);
        var verdict = failure ?? (peak <= HeapTargetBytes
            ? $"peak live heap {Mib(peak)} MiB ≤ 2048 MiB: target met"
            : $"peak live heap {Mib(peak)} MiB > 2048 MiB: target missed");
        return $"Scale: {pages:N0} pages ({(double)pages * ModelWorld.PageSize / (1L << 30):F1} GiB), DOTNET_GCHeapHardLimit={limit ?? "unset"}\n\n{table}\n{verdict}\n";
    }

    private static string Mib(long bytes) => (bytes / (1 << 20)).ToString("N0", CultureInfo.InvariantCulture);
}
