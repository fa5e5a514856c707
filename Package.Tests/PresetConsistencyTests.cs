using CowGuard.Package.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// The preset files name every rule the analyzers declare, and nothing else: Default mirrors each descriptor's own
/// default, Strict makes every rule an error, None turns every rule off; audit records stay off in all three.
/// </summary>
public sealed class PresetConsistencyTests
{
    private static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors = RuleDescriptors.All;

    [Theory]
    [InlineData("Default")]
    [InlineData("Strict")]
    [InlineData("None")]
    public void Preset_sets_every_rule_to_its_expected_severity(string preset)
    {
        var configured = ReadPreset(preset);
        Assert.NotEmpty(Descriptors);

        var expected = Descriptors.ToDictionary(d => d.Id, d => preset switch
        {
            // Audit records (CG0100) are not rule violations: no preset turns them on, CowGuardAudit=true does.
            _ when d.CustomTags.Contains(CowGuard.Analyzers.Rules.CG0100JustificationAuditAnalyzer.AuditTag) => "none",
            "Strict" => "error",
            "None" => "none",
            _ => DefaultSeverity(d),
        });
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), configured.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Default")]
    [InlineData("Strict")]
    [InlineData("None")]
    public void Preset_is_a_global_config_that_user_configuration_overrides(string preset)
    {
        var lines = File.ReadAllLines(PresetPath(preset)).Select(l => l.Trim()).ToList();
        Assert.Contains("is_global = true", lines);
        Assert.Contains("global_level = -100", lines);
    }

    private static string DefaultSeverity(DiagnosticDescriptor descriptor) =>
        !descriptor.IsEnabledByDefault ? "none" : descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "suggestion",
            _ => "silent",
        };

    private static string PresetPath(string preset) => Path.Combine(RepositoryLayout.Root, "Package", "configuration", $"{preset}.globalconfig");

    private static Dictionary<string, string> ReadPreset(string preset)
    {
        const string Prefix = "dotnet_diagnostic.";
        const string Suffix = ".severity";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(PresetPath(preset)))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            var key = parts[0];
            Assert.EndsWith(Suffix, key, StringComparison.Ordinal);
            var id = key[Prefix.Length..^Suffix.Length];
            Assert.True(result.TryAdd(id, parts[1]), $"{preset}: {id} is configured twice");
        }

        return result;
    }
}
