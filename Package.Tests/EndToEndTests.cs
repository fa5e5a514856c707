using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The path from source to a user's build (issue 2): the packed package, restored by a copy of samples/DmaDriver,
/// reports CG0001 where the sample says it should and fails the build when configured as an error. The code fix under
/// `dotnet format` is proven in <see cref="DotnetFormatTests"/>.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class EndToEndTests(PackedPackage package)
{
    [Fact]
    public void Consumer_build_reports_CG0001_exactly_at_the_marked_lines()
    {
        using var consumer = new ConsumerProject(package);
        var expected = consumer.ExpectedDiagnostics("Program.cs").Where(d => d.Id == "CG0001").ToList();
        Assert.NotEmpty(expected);

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        var reported = BuildDiagnostic.ParseAll(build.Output).Where(d => d.Id == "CG0001").ToList();
        Assert.All(reported, d => Assert.Equal("warning", d.Severity));
        Assert.Equal(
            expected.Select(e => ("Program.cs", e.Line)).Order(),
            reported.Select(d => (d.File, d.Line)).Order());
    }

    /// <summary>
    /// Where the SDK runs on linux-x64 the compiler gets the package's ReadyToRun copy of the analyzers (issue 18) and
    /// reports exactly what the IL copy reports; &lt;CowGuardReadyToRun&gt;false keeps the IL copy.
    /// </summary>
    [SkippableTheory]
    [InlineData(null, ReadyToRunHost.Folder)]
    [InlineData("false", "analyzers/dotnet/cs/")]
    public void On_linux_x64_the_compiler_loads_the_ReadyToRun_copy_unless_turned_off(string? readyToRun, string folder)
    {
        Skip.IfNot(ReadyToRunHost.IsLinuxX64, "the ReadyToRun copy is for linux-x64 hosts");
        using var consumer = new ConsumerProject(package);
        if (readyToRun is not null)
        {
            consumer.SetProperty("CowGuardReadyToRun", readyToRun);
        }

        var expected = consumer.ExpectedDiagnostics("Program.cs").Where(d => d.Id == "CG0001").Select(e => ("Program.cs", e.Line)).Order().ToList();

        // Detailed verbosity prints the compiler's command line, with one /analyzer: per analyzer assembly.
        var build = consumer.Build("-v:d");

        Assert.True(build.ExitCode == 0, build.ToString());
        var cowGuardAnalyzers = AnalyzerArgument().Matches(build.Output).Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .Where(path => path.Contains("/cowguard/", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        Assert.Equal(2, cowGuardAnalyzers.Count);
        Assert.All(cowGuardAnalyzers, path => Assert.Contains(folder, path, StringComparison.Ordinal));
        Assert.Equal(
            expected,
            BuildDiagnostic.ParseAll(build.Output).Where(d => d.Id == "CG0001").Select(d => (d.File, d.Line)).Distinct().Order().ToList());
    }

    [Fact]
    public void Severity_error_in_editorconfig_fails_the_build()
    {
        using var consumer = new ConsumerProject(package);
        consumer.WriteEditorConfig("dotnet_diagnostic.CG0001.severity = error\n");

        var build = consumer.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(BuildDiagnostic.ParseAll(build.Output), d => d.Id == "CG0001" && d.Severity == "error");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/analyzer:(?<path>[^\s""]+\.dll)")]
    private static partial System.Text.RegularExpressions.Regex AnalyzerArgument();
}
