using System.CommandLine;
using System.Globalization;
using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// `compiler-cpu`: CowGuard's cost inside the real compiler, measured the load-independent ways. The generated project
/// is compiled by the SDK's csc directly (<see cref="CscInvocation"/>), with and without CowGuard, in alternating
/// order (with/without, then without/with, ...) so that a drift in the machine's load hits both sides alike, and each
/// compile's process CPU time is read from the kernel. Optionally one more compile with CowGuard runs under perf
/// (<see cref="PerfSampling"/>), which attributes the compiler's CPU time to CowGuard's frames directly — precise
/// where the with/without difference is lost in the noise of a shared machine. /reportanalyzer is on in every compile
/// unless --reportanalyzer false, so its callback times can be compared with the CPU figures; every compile with CowGuard must report exactly the
/// planted CG0001 defects.
/// </summary>
internal static class CompilerCpuCommand
{
    public static Command Create()
    {
        var lines = CommandOptions.PositiveInt("--lines", 200_000, "Corpus size in lines.");
        var profile = CommandOptions.Profile("dense");
        var pairs = CommandOptions.PositiveInt("--pairs", 3, "Compile pairs (with and without CowGuard, alternating order).");
        var parallel = CommandOptions.Flag("--parallel", true, "false adds /parallel-: one compiler thread.");
        var perf = CommandOptions.Flag("--perf", false, "Also sample one compile with CowGuard under perf (if installed).");
        var analyzer = new Option<FileInfo>("--analyzer")
        {
            Description = "The CowGuard analyzer DLL of the \"with\" compiles (default: this build's).",
            DefaultValueFactory = _ => new FileInfo(CowGuardAnalyzerSet.Assembly.Location),
        };
        analyzer.AcceptExistingOnly();
        var baseline = new Option<string>("--baseline")
        {
            Description = "An analyzer loaded in both compiles: none, no-op (this assembly's operation analyzer that does nothing) or a DLL.",
            DefaultValueFactory = _ => "none",
        };
        baseline.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } value && value is not ("none" or "no-op") && !File.Exists(value))
            {
                r.AddError($"--baseline: expected none, no-op or an analyzer DLL, got '{value}'");
            }
        });
        var reportAnalyzer = CommandOptions.Flag("--reportanalyzer", true, "false leaves out /reportanalyzer (its timing costs too).");
        var realCorpus = new RealCorpusOptions();
        var output = CommandOptions.Out();
        var work = CommandOptions.Work();
        var command = new Command("compiler-cpu", "The SDK's csc run directly with and without CowGuard: process CPU time, /reportanalyzer, perf samples.")
        {
            lines, profile, pairs, parallel, perf, analyzer, baseline, reportAnalyzer, output, work,
        };
        foreach (var option in realCorpus.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r => realCorpus.Validate(r, lines, profile));
        command.SetAction(parse => BenchmarkCommand.Guard(() =>
        {
            var settings = new Settings(
                parse.GetValue(pairs), parse.GetValue(parallel), parse.GetValue(perf),
                parse.GetValue(analyzer)!.FullName, Baseline(parse.GetValue(baseline)!), parse.GetValue(reportAnalyzer));
            var outDir = CommandOptions.Created(parse.GetValue(output)!);
            var workRoot = parse.GetValue(work)!.FullName;
            var target = parse.GetValue(realCorpus.Corpus) is { } tree
                ? Target.Real(SourceTree.Select(tree.FullName), parse.GetValue(realCorpus.Packages)!, parse.GetValue(realCorpus.Properties)!, parse.GetValue(realCorpus.Usings)!, workRoot)
                : Target.Generated(CorpusGenerator.Generate(parse.GetValue(profile)!, parse.GetValue(lines)), workRoot);
            Run(target, settings, outDir);
            return 0;
        }));
        return command;
    }

    private static void Run(Target target, Settings settings, string outDir)
    {
        var (pairs, parallel, perf, analyzer, baseline, reportAnalyzer) = settings;
        Console.WriteLine($"compiler CPU: {target.Heading}, {pairs} pairs, " +
                          $"{(parallel ? "parallel" : "serial (/parallel-)")}, analyzer {analyzer}, baseline analyzer in both: {baseline ?? "none"}, /reportanalyzer {(reportAnalyzer ? "on" : "off")}");
        ProcessRunner.Run("dotnet", ["restore", target.Project], TimeSpan.FromMinutes(30));
        var csc = CscInvocation.Prepare(target.Project, analyzer, parallel, baseline, reportAnalyzer, acceptCompileErrors: target.Check is null);

        var runs = new List<CscRun>();
        for (var pair = 0; pair < pairs; pair++)
        {
            foreach (var withCowGuard in pair % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var run = csc.Run(withCowGuard);
                target.Check?.Invoke(run);
                Console.WriteLine($"  {(withCowGuard ? "with   " : "without")}  {run.Time.Wall.TotalSeconds,7:F1} s wall  {run.Time.Cpu.TotalSeconds,7:F1} s CPU  " +
                                  $"/reportanalyzer: total {run.Report.TotalSeconds,6:F2} s, CowGuard {run.Report.CowGuardSeconds,6:F2} s  " +
                                  $"CowGuard diagnostics {run.CowGuardDiagnostics}, errors {run.Errors}  (load {LoadAverage()})");
                runs.Add(run);
            }
        }

        PerfProfile? profileResult = null;
        if (perf)
        {
            if (PerfSampling.IsAvailable())
            {
                var (fileName, arguments, directory) = csc.Command(withCowGuard: true);
                profileResult = PerfSampling.Profile(fileName, arguments, directory, Path.Combine(target.Work, "perf.data"), csc.ExitCodes);
            }
            else
            {
                Console.WriteLine("  perf is not installed: no sampling profile");
            }
        }

        var heading = $"csc of {target.Heading}, {(parallel ? "parallel" : "serial (/parallel-)")}, CowGuard from {analyzer}" +
                      (baseline is null ? "" : $", {baseline} loaded in both compiles") + $"; load average at the end {LoadAverage()}";
        var report = CompilerCpuReport.Render(heading, runs, profileResult);
        // A run with a baseline analyzer gets its own report, so bench.sh's two 200k-line steps do not overwrite each other.
        var suffix = (baseline is null ? "" : "-baseline-" + Path.GetFileNameWithoutExtension(baseline)) + (reportAnalyzer ? "" : "-no-reportanalyzer");
        File.WriteAllText(Path.Combine(outDir, $"compiler-cpu-{target.ReportName}{suffix}.md"), report);
        Console.WriteLine(report);
    }

    /// <summary>A generated corpus's compile must report exactly its planted CG0001 defects (a run that silently stops
    /// analyzing fails).</summary>
    private static void CheckPlanted(GeneratedCorpus corpus, CscRun run)
    {
        var expected = run.WithCowGuard ? corpus.ExpectedCg0001 : 0;
        if (run.Cg0001 != expected)
        {
            throw new BenchmarkFailedException(
                $"csc {(run.WithCowGuard ? "with" : "without")} CowGuard on {corpus.Label}: expected {expected} CG0001 warnings, got {run.Cg0001}\n" +
                (run.Output.Length <= 4000 ? run.Output : run.Output[^4000..]));
        }
    }

    /// <summary>`--baseline none` (default), `--baseline no-op` (this assembly: its NoOpOperationAnalyzer registers
    /// CG0001's operation actions and does nothing), or the path of another analyzer DLL.</summary>
    private static string? Baseline(string value) => value switch
    {
        "none" => null,
        "no-op" => typeof(NoOpOperationAnalyzer).Assembly.Location,
        _ => Path.GetFullPath(value),
    };

    private static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>How one compiler-cpu run measures.</summary>
    private sealed record Settings(int Pairs, bool Parallel, bool Perf, string Analyzer, string? Baseline, bool ReportAnalyzer);

    /// <summary>What is compiled: a project written and ready to restore, its description, the name of its report, and
    /// the check of each compile (none for a real tree: its diagnostics and errors are reported as found).</summary>
    private sealed record Target(string Heading, string Project, string Work, string ReportName, Action<CscRun>? Check)
    {
        public static Target Generated(GeneratedCorpus corpus, string workRoot)
        {
            var name = corpus.Profile.Name.Replace('+', '-') + "-" + corpus.Lines;
            var work = Path.Combine(workRoot, "csc-" + name);
            return new Target(
                $"{corpus.Label} ({corpus.Files.Count:N0} files, {corpus.Lines:N0} lines, {corpus.PageReferenceSites:N0} page-reference sites)",
                CorpusProjectWriter.Write(corpus, work),
                work,
                name,
                run => CheckPlanted(corpus, run));
        }

        public static Target Real(
            SourceTree tree, IReadOnlyList<PackageSpec> packages, IReadOnlyList<KeyValuePair<string, string>> properties, IReadOnlyList<string> usings, string workRoot)
        {
            var name = "corpus-" + Path.GetFileName(tree.Root);
            var work = Path.Combine(workRoot, "csc-" + name);
            var extras = string.Join(", ", packages.Select(p => p.ToString()).Concat(properties.Select(p => $"{p.Key}={p.Value}")).Concat(usings.Select(u => "global using " + u)));
            return new Target(
                $"the real tree {tree.Root} ({tree.Files.Count:N0} files, {tree.Lines:N0} lines; VmModel referenced" +
                (extras.Length == 0 ? "" : "; " + extras) + ")",
                CorpusProjectWriter.Write(tree, packages, properties, usings, work),
                work,
                name,
                Check: null);
        }
    }
}
