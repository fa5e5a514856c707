using System.Diagnostics;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>One direct run of the SDK's compiler: wall time, process CPU time (all threads), the CG0001 warnings, every
/// CowGuard diagnostic, the compile errors, its output.</summary>
internal sealed record CscRun(bool WithCowGuard, Measured Time, AnalyzerReport Report, int Cg0001, int CowGuardDiagnostics, int Errors, string Output);

/// <summary>
/// The compiler command line of a generated project exactly as MSBuild computes it (the Csc task's CommandLineArgs
/// under SkipCompilerExecution, what design-time builds use), written as two response files: without CowGuard, and
/// the same plus CowGuard's analyzer. Running the SDK's csc directly on them times the compiler process alone — no
/// MSBuild, no compiler server, a cold process like a build with UseSharedCompilation=false — and the CPU time of
/// that process (all its threads) is read from the kernel when it exits.
/// </summary>
internal sealed class CscInvocation
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(60);

    private readonly string _directory;
    private readonly string _withRsp;
    private readonly string _withoutRsp;

    private CscInvocation(string directory, string compiler, string withRsp, string withoutRsp, bool acceptCompileErrors)
    {
        _directory = directory;
        ExitCodes = acceptCompileErrors ? [0, 1] : [0];
        Compiler = compiler;
        _withRsp = withRsp;
        _withoutRsp = withoutRsp;
    }

    /// <summary>The compiler exit codes that are a finished compile: 0, and 1 (compile errors) where they are accepted.</summary>
    public IReadOnlyCollection<int> ExitCodes { get; }

    /// <summary>The SDK's csc.dll (the compiler `dotnet build` runs).</summary>
    public string Compiler { get; }

    /// <param name="project">A project written by CorpusProjectWriter and restored.</param>
    /// <param name="cowGuardAnalyzer">The analyzer DLL of the "with" runs (another build's, to compare versions).</param>
    /// <param name="parallel">False adds /parallel-: one thread, so /reportanalyzer's callback times are not summed
    /// over threads that share the cores.</param>
    /// <param name="baselineAnalyzer">An analyzer DLL loaded in both compiles, or null: with this assembly, whose
    /// NoOpOperationAnalyzer makes the driver build every operation tree, the difference between the two compiles is
    /// what CowGuard costs beyond being an IOperation analyzer at all.</param>
    /// <param name="reportAnalyzer">False leaves out /reportanalyzer, whose per-callback timing is itself a cost that
    /// grows with the number of analyzer callbacks (CowGuard adds one per invocation and object creation).</param>
    /// <param name="acceptCompileErrors">True for a real source tree that may lack some of its references: a compile
    /// with errors (csc's exit code 1) is a result to report, not a failed run.</param>
    public static CscInvocation Prepare(
        string project, string cowGuardAnalyzer, bool parallel, string? baselineAnalyzer, bool reportAnalyzer, bool acceptCompileErrors = false)
    {
        var directory = Path.GetDirectoryName(project)!;
        var argumentsFile = Path.Combine(directory, "csc-arguments.txt");
        ProcessRunner.Run(
            "dotnet",
            ["msbuild", project, "-t:Compile", "-p:UseCowGuard=false", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true",
             $"-p:CscArgumentsFile={argumentsFile}", "-nodeReuse:false", "-nologo", "-v:q"],
            Limit);
        var compiler = Path.Combine(File.ReadAllText(argumentsFile + ".roslyn").Trim(), "bincore", "csc.dll");
        if (!File.Exists(compiler))
        {
            throw new BenchmarkFailedException($"the SDK's compiler is not at {compiler}");
        }

        // /noconfig only counts on the command line (csc ignores it in a response file, with a warning).
        List<string> arguments =
        [
            .. File.ReadAllLines(argumentsFile).Where(a => a.Length > 0 && a != "/noconfig"),
            .. reportAnalyzer ? ["/reportanalyzer"] : Array.Empty<string>(),
            .. parallel ? Array.Empty<string>() : ["/parallel-"],
            .. baselineAnalyzer is null ? Array.Empty<string>() : ["/analyzer:" + baselineAnalyzer],
        ];
        var withoutRsp = WriteResponseFile(Path.Combine(directory, "without-cowguard.rsp"), arguments);
        var withRsp = WriteResponseFile(Path.Combine(directory, "with-cowguard.rsp"), [.. arguments, "/analyzer:" + cowGuardAnalyzer]);
        return new CscInvocation(directory, compiler, withRsp, withoutRsp, acceptCompileErrors);
    }

    /// <summary>The command of one compile (for running it under a profiler).</summary>
    public (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) Command(bool withCowGuard) =>
        ("dotnet", ["exec", Compiler, "/noconfig", "@" + (withCowGuard ? _withRsp : _withoutRsp)], _directory);

    public CscRun Run(bool withCowGuard)
    {
        var (fileName, arguments, workingDirectory) = Command(withCowGuard);
        var cpuBefore = ResourceUsage.ChildrenCpu();
        var wall = Stopwatch.StartNew();
        var (output, _) = ProcessRunner.RunAllowingExitCodes(fileName, arguments, Limit, ExitCodes, workingDirectory);
        wall.Stop();
        var cpuAfter = ResourceUsage.ChildrenCpu();
        return new CscRun(
            withCowGuard,
            new Measured(wall.Elapsed, cpuAfter - cpuBefore),
            AnalyzerReport.Parse(output),
            AnalyzerReport.CountWarnings(output, CowGuard.Analyzers.RuleIdentifiers.PageReferenceWithoutBreakCow),
            AnalyzerReport.CountCowGuardDiagnostics(output),
            AnalyzerReport.CountErrors(output),
            output);
    }

    /// <summary>One argument per line; arguments with spaces or commas are quoted (csc would split them).</summary>
    private static string WriteResponseFile(string path, IEnumerable<string> arguments)
    {
        File.WriteAllLines(path, arguments.Select(a => a.Any(c => char.IsWhiteSpace(c) || c == ',') ? $"\"{a}\"" : a));
        return path;
    }
}
