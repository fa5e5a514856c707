using System.Globalization;
using System.Text.RegularExpressions;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// The compiler's /reportanalyzer table (printed by csc, and inside an MSBuild log at -v:d): the total analyzer
/// execution time and CowGuard's per-analyzer rows. These are sums of callback wall times over the compiler's threads,
/// so they count time a callback's thread waited for a core (see docs/performance.md for how far that inflates them).
/// </summary>
internal sealed partial record AnalyzerReport(double TotalSeconds, IReadOnlyDictionary<string, double> CowGuardRows)
{
    public double CowGuardSeconds => CowGuardRows.Values.Sum();

    public static AnalyzerReport Parse(string output)
    {
        var total = TotalAnalyzerTime().Match(output);
        var rows = CowGuardRow().Matches(output)
            .GroupBy(m => m.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Number(g.First().Groups["seconds"].Value), StringComparer.Ordinal);
        return new AnalyzerReport(total.Success ? Number(total.Groups["seconds"].Value) : 0, rows);
    }

    /// <summary>Warnings of one rule, counted once per location (MSBuild prints each warning twice: as it happens
    /// and in the summary).</summary>
    public static int CountWarnings(string output, string id) =>
        Warning().Matches(output)
            .Where(m => m.Groups["id"].Value == id)
            .Select(m => m.Groups["where"].Value)
            .Distinct(StringComparer.Ordinal)
            .Count();

    /// <summary>Diagnostics printed by csc (warnings, errors and infos, with or without a location), counted once per
    /// distinct line, whose id satisfies <paramref name="id"/> and whose severity <paramref name="severity"/>.</summary>
    public static int CountDiagnostics(string output, Func<string, bool> id, Func<string, bool> severity) =>
        Diagnostic().Matches(output)
            .Where(m => id(m.Groups["id"].Value) && severity(m.Groups["severity"].Value))
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .Count();

    /// <summary>Every diagnostic of CowGuard's rules (ids CGnnnn), whatever its severity.</summary>
    public static int CountCowGuardDiagnostics(string output) =>
        CountDiagnostics(output, id => id.StartsWith("CG", StringComparison.Ordinal), _ => true);

    /// <summary>Compile errors, whoever reports them.</summary>
    public static int CountErrors(string output) => CountDiagnostics(output, _ => true, severity => severity == "error");

    private static double Number(string text) =>
        double.Parse(text.Replace("<", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Total analyzer execution time:\s*(?<seconds>[\d.]+)\s*seconds", RegexOptions.Multiline)]
    private static partial Regex TotalAnalyzerTime();

    /// <summary>A row of the per-analyzer table, e.g. "   1.951   30      CowGuard.Analyzers.Rules.CG0001…Analyzer (CG0001)".</summary>
    [GeneratedRegex(@"^\s*(?<seconds><?[\d.]+)\s+<?\d+\s+CowGuard\.Analyzers\.Rules\.(?<name>\S+)", RegexOptions.Multiline)]
    private static partial Regex CowGuardRow();

    /// <summary>One diagnostic line of csc, e.g. "/src/A.cs(3,7): error CS0246: ..." or "error CS0006: ..." (no location).</summary>
    [GeneratedRegex(@"^(?:.+?: )?(?<severity>warning|error|info) (?<id>[A-Z]+\d+): .*$", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();

    [GeneratedRegex(@"(?<where>[^\s>]+\.cs\(\d+,\d+\)): warning (?<id>[A-Z]+\d+)")]
    private static partial Regex Warning();
}
