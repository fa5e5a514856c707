using System.Text.Json;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The justification audit for reviewers (issue 5): CowGuardAudit=true turns on one CG0100 record per
/// [WrongSideCowOk]; `cowguard audit` builds a project and lists them as Markdown or JSON.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class AuditTests(PackedPackage package)
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "cowguard.dll");

    [Fact]
    public void Audit_records_are_off_unless_CowGuardAudit_is_set()
    {
        using var consumer = new ConsumerProject(package);
        var sarifPath = consumer.PathOf("plain.sarif");

        var build = consumer.Build($"-p:ErrorLog={sarifPath}%2Cversion=2.1");

        Assert.True(build.ExitCode == 0, build.ToString());
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        var ruleIds = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("ruleId").GetString());
        Assert.DoesNotContain("CG0100", ruleIds);
    }

    [Fact]
    public void Audit_command_lists_every_justification_with_location_covered_calls_and_text()
    {
        using var consumer = new ConsumerProject(package);
        var restore = ProcessRunner.Dotnet(consumer.ProjectDirectory, "restore", consumer.ProjectFile);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var lines = File.ReadAllLines(consumer.PathOf("Program.cs"));
        var attributeLine = Array.FindIndex(lines, l => l.TrimStart().StartsWith("[WrongSideCowOk(", StringComparison.Ordinal)) + 1;
        var coveredLine = Array.FindIndex(lines, attributeLine, l => l.Contains("Gup.GetUserPages(", StringComparison.Ordinal)) + 1;
        Assert.True(attributeLine > 0 && coveredLine > attributeLine, "the sample should justify one GetUserPages call");

        var jsonPath = consumer.PathOf("audit.json");
        var json = ProcessRunner.Dotnet(consumer.ProjectDirectory, Tool, "audit", consumer.ProjectFile, "--format", "json", "--output", jsonPath);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var record = Assert.Single(report.RootElement.EnumerateArray());
        Assert.Equal("Program.cs", record.GetProperty("file").GetString());
        Assert.Equal(attributeLine, record.GetProperty("line").GetInt32());
        Assert.Equal("Checksum", record.GetProperty("scope").GetString());
        Assert.StartsWith("Only hashes the page", record.GetProperty("justification").GetString(), StringComparison.Ordinal);
        var covered = Assert.Single(record.GetProperty("covers").EnumerateArray());
        Assert.Equal(coveredLine, covered.GetProperty("line").GetInt32());
        Assert.Equal("GetUserPages", covered.GetProperty("method").GetString());

        var markdownPath = consumer.PathOf("audit.md");
        var markdown = ProcessRunner.Dotnet(consumer.ProjectDirectory, Tool, "audit", consumer.ProjectFile, "--output", markdownPath);
        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        var text = File.ReadAllText(markdownPath);
        Assert.Contains("| Where | Scope | Covers | Justification |", text, StringComparison.Ordinal);
        Assert.Contains($"`Program.cs:{attributeLine}`", text, StringComparison.Ordinal);
        Assert.Contains($"`GetUserPages` line {coveredLine}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_of_a_missing_project_is_a_usage_error_not_a_crash()
    {
        using var folder = new TemporaryDirectory("cowguard-audit-missing");

        var result = ProcessRunner.Dotnet(folder.Path, Tool, "audit", Path.Combine(folder.Path, "Nope.csproj"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such project", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }
}
