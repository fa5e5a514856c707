using System.Globalization;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>Renders the overhead results as the table and growth chart of docs/performance.md.</summary>
internal static class OverheadTable
{
    public static string Render(IReadOnlyList<OverheadResult> results)
    {
        var table = new MarkdownTable(
            "corpus", "files", "lines", "page-ref sites", "CG0001 (asserted)", "parse ms", "emit ms",
            "CowGuard callbacks ms", "% of compile", "µs / 1k lines", "driver wall ms: empty / no-op op / CowGuard", "own work % (vs no-op)", "sole analyzer % (vs empty)");
        foreach (var r in results)
        {
            table.Row(
                r.Corpus.Profile.Name,
                N(r.Corpus.Files.Count),
                N(r.Corpus.Lines),
                N(r.Corpus.PageReferenceSites),
                N(r.Cg0001),
                Ms(r.Parse),
                Ms(r.Emit),
                r.CowGuardAnalyzerTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
                r.AnalyzerPercent.ToString("F3", CultureInfo.InvariantCulture) + "%",
                r.AnalyzerMicrosecondsPerKiloLine.ToString("F0", CultureInfo.InvariantCulture),
                $"{Ms(r.EmptyAnalyzerWall)} / {Ms(r.NoOpOperationWall)} / {Ms(r.CowGuardWall)}",
                r.MarginalPercent.ToString("F2", CultureInfo.InvariantCulture) + "%",
                r.SoleAnalyzerPercent.ToString("F1", CultureInfo.InvariantCulture) + "%");
        }

        return table.ToString();
    }

    public static string GrowthChart(IReadOnlyList<OverheadResult> results)
    {
        var series = new List<ChartSeries>();
        foreach (var group in results.GroupBy(r => r.Corpus.Profile.Name))
        {
            series.Add(new ChartSeries($"{group.Key}: CowGuard", group.Select(r => ((double)r.Corpus.Lines, r.CowGuardAnalyzerTime.TotalMilliseconds)).ToList()));
            series.Add(new ChartSeries($"{group.Key}: compile", group.Select(r => ((double)r.Corpus.Lines, r.Compile.TotalMilliseconds)).ToList()));
        }

        return SvgChart.LogLog("Analyzer time vs. lines (dashed: linear)", "lines of code", "milliseconds", series);
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
}
