using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CowGuard.Analyzers;
using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// `build-report`: a real `dotnet build --no-incremental -p:ReportAnalyzer=true -v:d` of a generated project, once
/// with CowGuard's analyzer DLL and once without it, read back from the build log: the compiler's "Total analyzer
/// execution time", CowGuard's row of the per-analyzer table, the Csc task time of both builds, and the CG0001
/// warnings (which must equal the planted defects). The compiler server is off (UseSharedCompilation=false), so each
/// build runs a cold csc process, as `compiler-cpu` does; the callback times are wall clock summed over the compiler's
/// threads (see <see cref="AnalyzerReport"/>), which is why `compiler-cpu` measures CPU time as well.
/// </summary>
internal static partial class BuildReportCommand
{
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(30);

    public static Command Create()
    {
        var lines = CommandOptions.PositiveInt("--lines", 200_000, "Corpus size in lines.");
        var profile = CommandOptions.Profile("dense");
        var output = CommandOptions.Out();
        var work = CommandOptions.Work();
        var command = new Command("build-report", "A real dotnet build -p:ReportAnalyzer=true of a generated project, with and without CowGuard.")
        {
            lines, profile, output, work,
        };
        command.SetAction(parse => BenchmarkCommand.Guard(() =>
        {
            Run(parse.GetValue(profile)!, parse.GetValue(lines), CommandOptions.Created(parse.GetValue(output)!), parse.GetValue(work)!.FullName);
            return 0;
        }));
        return command;
    }

    private static void Run(CorpusProfile profile, int lines, string outDir, string workRoot)
    {
        var corpus = CorpusGenerator.Generate(profile, lines);
        var work = Path.Combine(workRoot, profile.Name.Replace('+', '-') + "-" + corpus.Lines);
        var project = CorpusProjectWriter.Write(corpus, work);
        Console.WriteLine($"build report: {corpus.Label}, {corpus.Files.Count} files, {corpus.Lines:N0} lines -> {project}");

        ProcessRunner.Run("dotnet", ["restore", project], BuildLimit);
        var with = Build(project, useCowGuard: true, Path.Combine(outDir, $"build-{profile.Name}-with-cowguard.log"));
        var without = Build(project, useCowGuard: false, Path.Combine(outDir, $"build-{profile.Name}-without-cowguard.log"));
        if (with.Cg0001Warnings != corpus.ExpectedCg0001 || without.Cg0001Warnings != 0)
        {
            throw new BenchmarkFailedException(
                $"expected {corpus.ExpectedCg0001} CG0001 warnings with CowGuard and none without, got {with.Cg0001Warnings} and {without.Cg0001Warnings}");
        }

        var table = Render(corpus, with, without);
        File.WriteAllText(Path.Combine(outDir, $"build-report-{profile.Name}.md"), table);
        Console.WriteLine(table);
    }

    private static BuildTimes Build(string project, bool useCowGuard, string logPath)
    {
        var log = ProcessRunner.Run(
            "dotnet",
            ["build", project, "--no-restore", "--no-incremental", "-p:ReportAnalyzer=true", $"-p:UseCowGuard={(useCowGuard ? "true" : "false")}",
             "-p:UseSharedCompilation=false", "-v:d", "-clp:PerformanceSummary", "-nodeReuse:false"],
            BuildLimit);
        File.WriteAllText(logPath, log);
        return BuildTimes.Parse(log, logPath);
    }

    private static string Render(GeneratedCorpus corpus, BuildTimes with, BuildTimes without)
    {
        var table = new MarkdownTable("build", "Csc task ms", "total analyzer execution s", "CowGuard analyzer s", "CowGuard % of Csc", "CG0001 warnings");
        table.Row("with CowGuard", Ms(with.CscMilliseconds), S(with.TotalAnalyzerSeconds), S(with.CowGuardSeconds),
            (100 * with.CowGuardSeconds * 1000 / with.CscMilliseconds).ToString("F3", CultureInfo.InvariantCulture) + "%",
            with.Cg0001Warnings.ToString(CultureInfo.InvariantCulture));
        table.Row("without CowGuard", Ms(without.CscMilliseconds), S(without.TotalAnalyzerSeconds), "-", "-",
            without.Cg0001Warnings.ToString(CultureInfo.InvariantCulture));
        var rules = new MarkdownTable("CowGuard analyzer (with CowGuard build)", "s", "% of Csc");
        foreach (var (name, seconds) in with.CowGuardRows.OrderByDescending(r => r.Value))
        {
            rules.Row(name, S(seconds), (100 * seconds * 1000 / with.CscMilliseconds).ToString("F3", CultureInfo.InvariantCulture) + "%");
        }

        return $"`dotnet build` of {corpus.Label} ({corpus.Files.Count:N0} files, {corpus.Lines:N0} lines, {corpus.PageReferenceSites:N0} page-reference sites)\n\n{table}\n{rules}";
    }

    private static string Ms(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string S(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>The figures read from one build log.</summary>
    private sealed record BuildTimes(double CscMilliseconds, AnalyzerReport Report, int Cg0001Warnings)
    {
        public double TotalAnalyzerSeconds => Report.TotalSeconds;

        public IReadOnlyDictionary<string, double> CowGuardRows => Report.CowGuardRows;

        public double CowGuardSeconds => Report.CowGuardSeconds;

        public static BuildTimes Parse(string log, string logPath)
        {
            var csc = CscTaskTime().Match(log);
            if (!csc.Success)
            {
                throw new BenchmarkFailedException($"no Csc task time in the performance summary of {logPath}");
            }

            return new BuildTimes(
                double.Parse(csc.Groups["ms"].Value, NumberStyles.Float, CultureInfo.InvariantCulture),
                AnalyzerReport.Parse(log),
                AnalyzerReport.CountWarnings(log, RuleIdentifiers.PageReferenceWithoutBreakCow));
        }
    }

    [GeneratedRegex(@"^\s*(?<ms>\d+)\s+ms\s+Csc\s+\d+\s+calls", RegexOptions.Multiline)]
    private static partial Regex CscTaskTime();
}
