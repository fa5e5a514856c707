using System.Text.Json;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>SARIF 2.1 through the compiler's ErrorLog carries CowGuard's results for CI and code review (issue 5).</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class SarifTests(PackedPackage package)
{
    [Fact]
    public void ErrorLog_contains_CG0001_results_with_file_line_and_help_uri()
    {
        using var consumer = new ConsumerProject(package);
        var sarifPath = consumer.PathOf("cowguard.sarif");
        var expectedLines = consumer.ExpectedDiagnostics("Program.cs").Where(d => d.Id == "CG0001").Select(d => d.Line).Order().ToList();

        // The comma of the ErrorLog value must be escaped for MSBuild (toolchain.md).
        var build = consumer.Build($"-p:ErrorLog={sarifPath}%2Cversion=2.1");

        Assert.True(build.ExitCode == 0, build.ToString());
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs")[0];

        var results = run.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("ruleId").GetString() == "CG0001").ToList();
        var lines = results.Select(r =>
        {
            var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.EndsWith("Program.cs", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            return location.GetProperty("region").GetProperty("startLine").GetInt32();
        }).Order().ToList();
        Assert.Equal(expectedLines, lines);

        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == "CG0001");
        Assert.EndsWith("/docs/rules/CG0001.md", rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
    }
}
