using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The presets chosen by CowGuardAnalysisMode, and the ways a user overrides them: .editorconfig severity and
/// #pragma (issue 5). Every test builds a temporary consumer from clean.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class SeverityPresetTests(PackedPackage package)
{
    [Fact]
    public void Strict_preset_fails_the_build_with_CG_errors()
    {
        using var consumer = new ConsumerProject(package);
        consumer.SetProperty("CowGuardAnalysisMode", "Strict");

        var build = consumer.Build();

        Assert.NotEqual(0, build.ExitCode);
        var diagnostics = BuildDiagnostic.ParseAll(build.Output);
        Assert.Contains(diagnostics, d => d.Id == "CG0001" && d.Severity == "error");
        Assert.DoesNotContain(diagnostics, d => d.Severity == "warning");
    }

    [Fact]
    public void None_preset_reports_nothing()
    {
        using var consumer = new ConsumerProject(package);
        consumer.SetProperty("CowGuardAnalysisMode", "None");

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(BuildDiagnostic.ParseAll(build.Output));
    }

    [Fact]
    public void Unknown_preset_is_a_build_error_naming_the_valid_ones()
    {
        using var consumer = new ConsumerProject(package);
        consumer.SetProperty("CowGuardAnalysisMode", "Paranoid");

        var build = consumer.Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("CGPKG001", build.Output, StringComparison.Ordinal);
        Assert.Contains("Default, Strict or None", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Editorconfig_severity_wins_over_the_Strict_preset()
    {
        using var consumer = new ConsumerProject(package);
        consumer.SetProperty("CowGuardAnalysisMode", "Strict");
        consumer.WriteEditorConfig("dotnet_diagnostic.CG0001.severity = suggestion\n");

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(BuildDiagnostic.ParseAll(build.Output), d => d.Id == "CG0001" && d.Severity is "error" or "warning");
    }

    [Fact]
    public void Pragma_warning_disable_silences_one_call_and_only_that_call()
    {
        using var consumer = new ConsumerProject(package);
        var program = consumer.PathOf("Program.cs");
        var lines = File.ReadAllLines(program).ToList();
        var marked = consumer.ExpectedDiagnostics("Program.cs").Where(d => d.Id == "CG0001").Select(d => d.Line).ToList();
        Assert.True(marked.Count >= 2, "the sample should mark at least two CG0001 calls");
        var silenced = marked[0];
        lines.Insert(silenced, "#pragma warning restore CG0001");
        lines.Insert(silenced - 1, "#pragma warning disable CG0001 // the demo suppresses one call");
        File.WriteAllLines(program, lines);

        var build = consumer.Build();

        Assert.True(build.ExitCode == 0, build.ToString());
        var reported = BuildDiagnostic.ParseAll(build.Output).Where(d => d.Id == "CG0001").Select(d => d.Line).Order().ToList();
        // Two lines were inserted above every later marker.
        Assert.Equal(marked.Skip(1).Select(line => line + 2), reported);
    }
}
