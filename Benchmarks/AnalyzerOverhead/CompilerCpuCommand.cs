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
        var pairs = CommandOptions.NonNegativeInt("--pairs", 3, "Compile pairs (with and without CowGuard, alternating order); 0 with --perf true: the sampled compile only.");
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
        command.Validators.Add(r =>
        {
            if (r.GetResult(pairs) is { Implicit: false, Tokens: [{ Value: "0" }] } &&
                r.GetResult(perf)?.GetValueOrDefault<bool>() != true)
            {
                r.AddError("--pairs 0 measures nothing without --perf true");
            }
        });
        command.SetAction(parse => BenchmarkCommand.Guard(() =>
        {
            var settings = new Settings(
                parse.GetValue(pairs), parse.GetValue(parallel), parse.GetValue(perf),
                parse.GetValue(analyzer)!.FullName, Baseline(parse.GetValue(baseline)!), parse.GetValue(reportAnalyzer));
            var outDir = CommandOptions.Created(parse.GetValue(output)!);
            var workRoot = parse.GetValue(work)!.FullName;
            var properties = parse.GetValue(realCorpus.Properties)!;
            IEnumerable<Target> targets = parse.GetValue(realCorpus.Projects) is { Length: > 0 } projects
                ? projects.Select(p => Target.Project(p.FullName, properties, workRoot))
                : parse.GetValue(realCorpus.Corpus) is { } tree
                    ? [Target.Real(SourceTree.Select(tree.FullName), parse.GetValue(realCorpus.Packages)!, properties, parse.GetValue(realCorpus.Usings)!, workRoot)]
                    : [Target.Generated(CorpusGenerator.Generate(parse.GetValue(profile)!, parse.GetValue(lines)), workRoot)];
            var profiles = targets.Select(t => Run(t, settings, outDir)).ToList();
            if (profiles.Count > 1 && profiles.All(p => p is not null))
            {
                // Several projects of one repository: their samples added up, as one build of them all would be.
                var (cowGuard, all) = (profiles.Sum(p => p!.CowGuardSamples), profiles.Sum(p => p!.Samples));
                Console.WriteLine($"all {profiles.Count} projects: {cowGuard:N0} of {all:N0} samples had a CowGuard frame ({100.0 * cowGuard / all:F2}%)");
            }

            return 0;
        }));
        return command;
    }

    /// <returns>The sampling profile, if one was taken.</returns>
    private static PerfProfile? Run(Target target, Settings settings, string outDir)
    {
        var (pairs, parallel, perf, analyzer, baseline, reportAnalyzer) = settings;
        Console.WriteLine($"compiler CPU: {target.Heading}, {pairs} pairs, " +
                          $"{(parallel ? "parallel" : "serial (/parallel-)")}, analyzer {analyzer}, baseline analyzer in both: {baseline ?? "none"}, /reportanalyzer {(reportAnalyzer ? "on" : "off")}");
        var csc = target.Prepare(analyzer, new CscAdditions(reportAnalyzer, parallel, baseline));
        var sources = $"{csc.SourceFiles.Count:N0} source files on the command line, {csc.SourceFiles.Sum(f => File.ReadLines(f).Count()):N0} lines";
        Console.WriteLine("  " + sources);

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
                profileResult = PerfSampling.Profile(
                    fileName, arguments, directory, Path.Combine(target.Work, "perf.data"), csc.ExitCodes, ReadyToRunMethodNames.Load(analyzer));
            }
            else
            {
                Console.WriteLine("  perf is not installed: no sampling profile");
            }
        }

        var heading = $"csc of {target.Heading}, {sources}, {(parallel ? "parallel" : "serial (/parallel-)")}, CowGuard from {analyzer}" +
                      (baseline is null ? "" : $", {baseline} loaded in both compiles") + $"; load average at the end {LoadAverage()}";
        var report = CompilerCpuReport.Render(heading, runs, profileResult);
        // A run with a baseline analyzer gets its own report, so bench.sh's two 200k-line steps do not overwrite each other.
        var suffix = (baseline is null ? "" : "-baseline-" + Path.GetFileNameWithoutExtension(baseline)) + (reportAnalyzer ? "" : "-no-reportanalyzer");
        File.WriteAllText(Path.Combine(outDir, $"compiler-cpu-{target.ReportName}{suffix}.md"), report);
        Console.WriteLine(report);
        return profileResult;
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

    /// <summary>What is compiled: its description, its work folder, the name of its report, how its compiles are
    /// prepared (given CowGuard's analyzer and what both compiles add), and the check of each compile (none for real
    /// code: its diagnostics and errors are reported as found).</summary>
    private sealed record Target(string Heading, string Work, string ReportName, Func<string, CscAdditions, CscInvocation> Prepare, Action<CscRun>? Check)
    {
        public static Target Generated(GeneratedCorpus corpus, string workRoot)
        {
            var name = corpus.Profile.Name.Replace('+', '-') + "-" + corpus.Lines;
            var work = Path.Combine(workRoot, "csc-" + name);
            var project = CorpusProjectWriter.Write(corpus, work);
            return new Target(
                $"{corpus.Label} ({corpus.Files.Count:N0} files, {corpus.Lines:N0} lines, {corpus.PageReferenceSites:N0} page-reference sites)",
                work,
                name,
                (analyzer, additions) => Restored(project, analyzer, additions, acceptCompileErrors: false),
                run => CheckPlanted(corpus, run));
        }

        public static Target Real(
            SourceTree tree, IReadOnlyList<PackageSpec> packages, IReadOnlyList<KeyValuePair<string, string>> properties, IReadOnlyList<string> usings, string workRoot)
        {
            var name = "corpus-" + Path.GetFileName(tree.Root);
            var work = Path.Combine(workRoot, "csc-" + name);
            var extras = string.Join(", ", packages.Select(p => p.ToString()).Concat(properties.Select(p => $"{p.Key}={p.Value}")).Concat(usings.Select(u => "global using " + u)));
            var project = CorpusProjectWriter.Write(tree, packages, properties, usings, work);
            return new Target(
                $"the real tree {tree.Root} ({tree.Files.Count:N0} files, {tree.Lines:N0} lines; VmModel referenced" +
                (extras.Length == 0 ? "" : "; " + extras) + ")",
                work,
                name,
                (analyzer, additions) => Restored(project, analyzer, additions, acceptCompileErrors: true),
                Check: null);
        }

        /// <summary>A real project, built and compiled as its own build does (<see cref="RealProject"/>).</summary>
        public static Target Project(string project, IReadOnlyList<KeyValuePair<string, string>> properties, string workRoot)
        {
            var name = "project-" + Path.GetFileNameWithoutExtension(project);
            var work = Path.Combine(workRoot, "csc-" + name);
            return new Target(
                $"the real project {project} ({string.Join(' ', RealProject.MsBuildProperties(properties))}; VmModel referenced)",
                work,
                name,
                (analyzer, additions) => RealProject.Prepare(project, properties, work, analyzer, additions),
                Check: null);
        }

        private static CscInvocation Restored(string project, string analyzer, CscAdditions additions, bool acceptCompileErrors)
        {
            ProcessRunner.Run("dotnet", ["restore", project], TimeSpan.FromMinutes(30));
            return CscInvocation.Prepare(project, analyzer, additions, acceptCompileErrors);
        }
    }
}
