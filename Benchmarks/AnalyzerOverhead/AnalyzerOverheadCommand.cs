using System.CommandLine;
using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>`analyzer`: measures every corpus profile at every requested size and writes the table and growth chart.</summary>
internal static class AnalyzerOverheadCommand
{
    private const int GateRepetitions = 21;

    public static Command Create()
    {
        var lines = CommandOptions.PositiveInts("--lines", [20_000, 200_000, 1_000_000], "Corpus sizes in lines, comma-separated.");
        var repetitions = CommandOptions.PositiveInt("--repetitions", 3, "Measurements per corpus.");
        var profiles = CommandOptions.Profiles();
        var analysis = CommandOptions.OneOf("--analysis", "serial", "serial or concurrent analyzer execution.", "serial", "concurrent");
        var output = CommandOptions.Out();
        var command = new Command("analyzer", "In-process analyzer overhead on generated corpora: the table and the growth chart.")
        {
            lines, repetitions, profiles, analysis, output,
        };
        command.SetAction((parse, _) => BenchmarkCommand.GuardAsync(async () =>
        {
            await RunAsync(
                parse.GetValue(lines)!, parse.GetValue(profiles)!, parse.GetValue(analysis) == "concurrent", parse.GetValue(repetitions),
                CommandOptions.Created(parse.GetValue(output)!)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task RunAsync(IReadOnlyList<int> sizes, IReadOnlyList<CorpusProfile> profiles, bool concurrent, int repetitions, string outDir)
    {
        var harness = new OverheadHarness(repetitions, concurrent, Console.Out);

        Console.WriteLine($"analyzer overhead: {string.Join(", ", sizes)} lines, analyzers: {string.Join(", ", CowGuardAnalyzerSet.Create().Select(a => a.GetType().Name))}");
        await harness.WarmUpAsync().ConfigureAwait(false);
        var results = new List<OverheadResult>();
        foreach (var profile in profiles)
        {
            foreach (var lines in sizes)
            {
                results.Add(await harness.MeasureAsync(profile, lines).ConfigureAwait(false));
            }
        }

        // The gate is constant in the code size: a small corpus per profile isolates it.
        var gates = profiles
            .Select(p => GateMeasurement.Measure(CorpusCompilation.Parse(CorpusGenerator.Generate(p, 2_000)), GateRepetitions))
            .ToList();
        var table = OverheadTable.Render(results) + "\n" + OverheadTable.RenderGates(gates);
        await File.WriteAllTextAsync(Path.Combine(outDir, "analyzer-overhead.md"), table).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "analyzer-growth.svg"), OverheadTable.GrowthChart(results)).ConfigureAwait(false);
        Console.WriteLine(table);
    }
}
