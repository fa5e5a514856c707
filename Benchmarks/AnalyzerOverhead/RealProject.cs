using CowGuard.Benchmarks.Reporting;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// `compiler-cpu --project PATH`: a real project compiled as its own build compiles it — its packages, target
/// framework, analyzers, source generators and settings — plus a reference to CowGuard.VmModel (the case of a team
/// that adds the package to code that never calls its page-reference APIs). The project is first built for real
/// (restore, referenced projects, generators; a failing build stops the run), then MSBuild computes its compiler
/// command line, which the harness runs directly with and without CowGuard's analyzer.
/// </summary>
internal static class RealProject
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(60);

    /// <summary>Writes the Csc task's arguments for CscInvocation; imported into a project that does not have it
    /// through CustomAfterMicrosoftCommonTargets (Microsoft.Common.targets imports that file when it exists).</summary>
    private const string ArgumentsTargets = $"""
        <Project>
        {CscInvocation.WriteArgumentsTarget}
        </Project>

        """;

    /// <param name="project">The .csproj.</param>
    /// <param name="properties">MSBuild properties for the build and the command line (Configuration is Release
    /// unless given).</param>
    /// <param name="work">Where the harness's files go (response files, compiler outputs, perf data); MSBuild runs
    /// there too, so the SDK is this machine's, not the one a global.json in the project's repository asks for.</param>
    public static CscInvocation Prepare(
        string project, IReadOnlyList<KeyValuePair<string, string>> properties, string work, string cowGuardAnalyzer, CscAdditions additions)
    {
        Directory.CreateDirectory(work);
        var msbuildProperties = MsBuildProperties(properties);
        ProcessRunner.Run(
            "dotnet", ["build", project, .. msbuildProperties, "-p:UseSharedCompilation=false", "-nodeReuse:false", "-nologo", "-v:q"], Limit, work);

        var targets = Path.Combine(work, "write-csc-arguments.targets");
        File.WriteAllText(targets, ArgumentsTargets);
        var (compiler, arguments) = CscInvocation.MsBuildCommandLine(
            project,
            [
                .. msbuildProperties,
                // The build above made what the compile references; CoreCompile must run although its outputs are up
                // to date, so one of its inputs is a file that does not exist.
                "-p:BuildProjectReferences=false",
                "-p:NonExistentFile=" + Path.Combine(work, "no-such-file"),
                "-p:CustomAfterMicrosoftCommonTargets=" + targets,
            ],
            work);
        var outputs = Path.Combine(work, "out");
        Directory.CreateDirectory(Path.Combine(outputs, CscCommandLine.ReferenceAssemblyFolder));
        return CscInvocation.FromCommandLine(
            Path.GetDirectoryName(Path.GetFullPath(project))!,
            work,
            compiler,
            arguments,
            cowGuardAnalyzer,
            additions with { Reference = typeof(FollFlags).Assembly.Location, OutputDirectory = outputs },
            acceptCompileErrors: true);
    }

    /// <summary>-p:NAME=VALUE for each property, Configuration=Release first unless a Configuration is given; a ';'
    /// in a value is escaped (MSBuild's command line would read it as the start of another property).</summary>
    public static IReadOnlyList<string> MsBuildProperties(IReadOnlyList<KeyValuePair<string, string>> properties) =>
    [
        .. properties.Any(p => p.Key.Equals("Configuration", StringComparison.OrdinalIgnoreCase)) ? [] : new[] { "-p:Configuration=Release" },
        .. properties.Select(p => $"-p:{p.Key}={p.Value.Replace(";", "%3B", StringComparison.Ordinal)}"),
    ];
}
