using System.Reflection;
using System.Text.RegularExpressions;
using CowGuard.Analyzers.Tests.Robustness;
using Xunit;

namespace CowGuard.Analyzers.Tests.Documentation;

/// <summary>docs/rules/soundness.md stays honest: every test its table names exists (and so runs), and every rule page
/// links to it.</summary>
public sealed partial class SoundnessTableTests
{
    private static readonly string Root = SourceFiles.RepositoryRoot();

    [Fact]
    public void Every_test_the_soundness_table_names_exists()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "rules", "soundness.md"));
        var rows = TableRow().Matches(text).Select(m => (Row: m.Groups[1].Value, Test: m.Groups[2].Value)).ToList();
        var tests = typeof(SoundnessTableTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(rows.Count >= 40, $"only {rows.Count} rows found in the soundness table");
        Assert.Empty(rows.Where(r => !tests.Contains(r.Test)).Select(r => $"row {r.Row}: no test named {r.Test}"));
        Assert.Equal(rows.Count, rows.Select(r => r.Row).Distinct().Count());
    }

    [Fact]
    public void Every_rule_page_links_the_soundness_table()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(Root, "docs", "rules"), "CG*.md").ToList();
        Assert.NotEmpty(pages);
        Assert.Empty(pages.Where(p => !File.ReadAllText(p).Contains("(soundness.md)", StringComparison.Ordinal)).Select(Path.GetFileName));
    }

    /// <summary>A table row: "| 12 | shape | verdict | `Test_name` |".</summary>
    [GeneratedRegex(@"^\| (\d+) \|.*\| `([A-Za-z0-9_]+)` \|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
