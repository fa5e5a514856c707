using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>`analyzer`: measures every corpus profile at every requested size and writes the table and growth chart.</summary>
internal static class AnalyzerOverheadCommand
{
    private const int GateRepetitions = 21;

    public static async Task RunAsync(CommandOptions options)
    {
        var sizes = options.Ints("lines", "20000,200000,1000000");
        var profiles = options.Text("profiles", string.Join(',', CorpusProfile.All.Select(p => p.Name)))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseProfile)
            .ToList();
        var concurrent = options.Text("analysis", "serial") switch
        {
            "serial" => false,
            "concurrent" => true,
            var other => throw new UsageException($"--analysis: '{other}' is neither 'serial' nor 'concurrent'"),
        };
        var harness = new OverheadHarness(options.Int("repetitions", 3), concurrent, Console.Out);
        var outDir = Directory.CreateDirectory(options.Text("out", "bench-results")).FullName;

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

    private static CorpusProfile ParseProfile(string name)
    {
        try
        {
            return CorpusProfile.Parse(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--profiles: {e.Message}");
        }
    }
}
