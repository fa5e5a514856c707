using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The path from source to a user's build (issue 2): the packed package, restored by a copy of samples/DmaDriver,
/// reports CG0001 where the sample says it should and fails the build when configured as an error. The code fix under
/// `dotnet format` is proven in <see cref="DotnetFormatTests"/>.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class EndToEndTests(PackedPackage package)
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

    [Fact]
    public void Severity_error_in_editorconfig_fails_the_build()
    {
        using var consumer = new ConsumerProject(package);
        consumer.WriteEditorConfig("dotnet_diagnostic.CG0001.severity = error\n");

        var build = consumer.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(BuildDiagnostic.ParseAll(build.Output), d => d.Id == "CG0001" && d.Severity == "error");
    }
}
