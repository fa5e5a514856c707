using System.Diagnostics;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>One direct run of the SDK's compiler: wall time, process CPU time (all threads), the CG0001 warnings, every
/// CowGuard diagnostic, the compile errors, its output.</summary>
internal sealed record CscRun(bool WithCowGuard, Measured Time, AnalyzerReport Report, int Cg0001, int CowGuardDiagnostics, int Errors, string Output);

/// <summary>
/// The compiler command line of a project exactly as MSBuild computes it (the Csc task's CommandLineArgs
/// under SkipCompilerExecution, what design-time builds use), written as two response files: without CowGuard, and
/// the same plus CowGuard's analyzer. Running the SDK's csc directly on them times the compiler process alone — no
/// MSBuild, no compiler server, a cold process like a build with UseSharedCompilation=false — and the CPU time of
/// that process (all its threads) is read from the kernel when it exits.
/// </summary>
internal sealed class CscInvocation
{
    /// <summary>The MSBuild target that writes the Csc task's arguments, one per line, to $(CscArgumentsFile), and
    /// the SDK's Roslyn folder to $(CscArgumentsFile).roslyn, when run with -p:SkipCompilerExecution=true
    /// -p:ProvideCommandLineArgs=true -p:CscArgumentsFile=PATH.</summary>
    public const string WriteArgumentsTarget = """
          <Target Name="WriteCscArguments" AfterTargets="CoreCompile" Condition="'$(CscArgumentsFile)' != ''">
            <WriteLinesToFile File="$(CscArgumentsFile)" Lines="@(CscCommandLineArgs)" Overwrite="true" />
            <WriteLinesToFile File="$(CscArgumentsFile).roslyn" Lines="$(RoslynTargetsPath)" Overwrite="true" />
          </Target>
        """;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(60);

    private readonly string _directory;
    private readonly string _withRsp;
    private readonly string _withoutRsp;

    private CscInvocation(string directory, string compiler, string withRsp, string withoutRsp, bool acceptCompileErrors, IReadOnlyList<string> sourceFiles)
    {
        SourceFiles = sourceFiles;
        _directory = directory;
        ExitCodes = acceptCompileErrors ? [0, 1] : [0];
        Compiler = compiler;
        _withRsp = withRsp;
        _withoutRsp = withoutRsp;
    }

    /// <summary>The compiler exit codes that are a finished compile: 0, and 1 (compile errors) where they are accepted.</summary>
    public IReadOnlyCollection<int> ExitCodes { get; }

    /// <summary>The C# files the compiles read (full paths; source generators' output is not among them).</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    /// <summary>The SDK's csc.dll (the compiler `dotnet build` runs).</summary>
    public string Compiler { get; }

    /// <param name="project">A project written by CorpusProjectWriter and restored.</param>
    /// <param name="cowGuardAnalyzer">The analyzer DLL of the "with" runs (another build's, to compare versions).</param>
    /// <param name="additions">What both compiles add to MSBuild's command line: /parallel- (one thread, so
    /// /reportanalyzer's callback times are not summed over threads that share the cores); a baseline analyzer (with
    /// this assembly, whose NoOpOperationAnalyzer makes the driver build every operation tree, the difference between
    /// the two compiles is what CowGuard costs beyond being an IOperation analyzer at all); /reportanalyzer, whose
    /// per-callback timing is itself a cost that grows with the number of analyzer callbacks (CowGuard adds one per
    /// invocation and object creation).</param>
    /// <param name="acceptCompileErrors">True for a real source tree that may lack some of its references: a compile
    /// with errors (csc's exit code 1) is a result to report, not a failed run.</param>
    public static CscInvocation Prepare(string project, string cowGuardAnalyzer, CscAdditions additions, bool acceptCompileErrors = false)
    {
        var directory = Path.GetDirectoryName(project)!;
        var (compiler, arguments) = MsBuildCommandLine(project, [], directory);
        return FromCommandLine(directory, directory, compiler, arguments, cowGuardAnalyzer, additions, acceptCompileErrors);
    }

    /// <summary>A compile whose command line is <paramref name="msbuildArguments"/>, run in
    /// <paramref name="projectDirectory"/> (MSBuild's paths are relative to it), its response files written to
    /// <paramref name="work"/>.</summary>
    public static CscInvocation FromCommandLine(
        string projectDirectory, string work, string compiler, IEnumerable<string> msbuildArguments, string cowGuardAnalyzer, CscAdditions additions, bool acceptCompileErrors)
    {
        var without = CscCommandLine.Without(msbuildArguments, additions);
        var withoutRsp = WriteResponseFile(Path.Combine(work, "without-cowguard.rsp"), without);
        var withRsp = WriteResponseFile(Path.Combine(work, "with-cowguard.rsp"), CscCommandLine.With(without, cowGuardAnalyzer));
        return new CscInvocation(projectDirectory, compiler, withRsp, withoutRsp, acceptCompileErrors, CscCommandLine.SourceFiles(without, projectDirectory));
    }

    /// <summary>
    /// The SDK's csc.dll and the Csc task's arguments for <paramref name="project"/>: its Compile target run with
    /// SkipCompilerExecution and ProvideCommandLineArgs, and a target (the project's own, or the file
    /// <paramref name="msbuildArguments"/> import) that writes them to CscArgumentsFile.
    /// </summary>
    /// <param name="work">Where the arguments are written and MSBuild runs (the SDK it resolves follows this folder's
    /// global.json, not one in the project's repository).</param>
    public static (string Compiler, IReadOnlyList<string> Arguments) MsBuildCommandLine(string project, IReadOnlyList<string> msbuildArguments, string work)
    {
        var argumentsFile = Path.Combine(work, "csc-arguments.txt");
        File.Delete(argumentsFile);
        ProcessRunner.Run(
            "dotnet",
            ["msbuild", project, "-t:Compile", "-p:UseCowGuard=false", "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true",
             $"-p:CscArgumentsFile={argumentsFile}", .. msbuildArguments, "-nodeReuse:false", "-nologo", "-v:q"],
            Limit,
            work);
        if (!File.Exists(argumentsFile))
        {
            throw new BenchmarkFailedException($"MSBuild ran no compile of {project} (no {argumentsFile})");
        }

        var compiler = Path.Combine(File.ReadAllText(argumentsFile + ".roslyn").Trim(), "bincore", "csc.dll");
        if (!File.Exists(compiler))
        {
            throw new BenchmarkFailedException($"the SDK's compiler is not at {compiler}");
        }

        return (compiler, File.ReadAllLines(argumentsFile));
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
