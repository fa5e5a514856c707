using System.Runtime.CompilerServices;
using CowGuard.Cli.Explore;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>
/// The shortest counterexamples of docs/reliability.md, kept as scenario files in Scenarios/Catalogue/explored/: each
/// era is explored to <see cref="KeptDepth"/> in the default universe and alphabet, and the files must be exactly the
/// shortest counterexamples found (one per violated oracle, none for an era that violates none), and the scenario
/// runner must load each and reproduce it. COWGUARD_UPDATE_REGRESSIONS=1 rewrites them in the source tree instead.
/// </summary>
public sealed class KeptCounterexampleTests
{
    /// <summary>The deepest kept counterexample's length: every older era's shortest ones are found by then.</summary>
    public const int KeptDepth = 4;

    private const string Folder = "explored";

    public static TheoryData<string> KeptFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(BuiltInCatalogue.Root, Folder), "*.cow").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Eras.All), MemberType = typeof(Eras))]
    public void The_kept_files_are_the_shortest_counterexamples_breadth_first_search_finds(string era)
    {
        var options = new ExplorationOptions { Era = Era.Parse(era), MaxDepth = KeptDepth };
        var report = Explorer.Run(options);

        Assert.False(report.Counterexamples.ContainsKey(Oracle.ModelBug), $"model bug: {report.Counterexamples.GetValueOrDefault(Oracle.ModelBug)}");
        var prefix = era.ToLowerInvariant() + "-";
        var kept = Directory.EnumerateFiles(SourceFolder(), prefix + "*.cow").Select(f => Path.GetFileName(f)).Order().ToList();
        var found = report.Counterexamples.Values.Select(c => CounterexampleScenario.FileName(options.Era, c.Oracle)).Order().ToList();
        if (Environment.GetEnvironmentVariable("COWGUARD_UPDATE_REGRESSIONS") == "1")
        {
            kept.ForEach(file => File.Delete(Path.Combine(SourceFolder(), file)));
            foreach (var counterexample in report.Counterexamples.Values)
            {
                File.WriteAllText(Path.Combine(SourceFolder(), CounterexampleScenario.FileName(options.Era, counterexample.Oracle)), CounterexampleScenario.Write(options, counterexample));
            }

            return;
        }

        Assert.True(found.SequenceEqual(kept),
            $"{era}: the search finds [{string.Join(", ", found)}], Scenarios/Catalogue/explored/ keeps [{string.Join(", ", kept)}]; "
            + "if the model changed on purpose (or a new era arrived), rewrite them: COWGUARD_UPDATE_REGRESSIONS=1 dotnet test Exploration.Tests --filter KeptCounterexample");
        foreach (var counterexample in report.Counterexamples.Values)
        {
            var file = Path.Combine(SourceFolder(), CounterexampleScenario.FileName(options.Era, counterexample.Oracle));
            Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), CounterexampleScenario.Write(options, counterexample).ReplaceLineEndings("\n"));
        }
    }

    [Theory]
    [MemberData(nameof(KeptFiles))]
    public void The_scenario_runner_reproduces_a_kept_counterexample_under_its_era(string fileName)
    {
        var instance = Assert.Single(ScenarioLoader.LoadFile(Path.Combine(BuiltInCatalogue.Root, Folder, fileName)));
        var finder = Era.All.Single(e => fileName.StartsWith(e.Name.ToLowerInvariant() + "-", StringComparison.Ordinal));

        foreach (var era in Era.All)
        {
            var result = Interpreter.Run(instance, era, new RunOptions(CheckInvariants: true));
            Assert.True(result.Error is null, $"{fileName} under {era.Name}: {result.Error?.Message}");
            Assert.True(result.MatchesDeclaration, $"{fileName} under {era.Name}: declared {VerdictText.Format(result.Expected)}, observed {VerdictText.Format(result.Observed)}");
            if (era == finder)
            {
                Assert.Equal(Verdict.Fail, result.Observed);
            }
        }
    }

    private static string SourceFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Scenarios", "Catalogue", Folder));
}
