using System.Globalization;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>Renders the overhead results as the table and growth chart of docs/performance.md.</summary>
internal static class OverheadTable
{
    public static string Render(IReadOnlyList<OverheadResult> results)
    {
        var table = new MarkdownTable(
            "corpus", "files", "lines", "page-ref sites", "CG0001 (asserted)", "compile ms wall / CPU",
            "CowGuard callbacks ms", "callbacks % of compile", "callback µs / 1k lines",
            "analysis CPU ms: empty / no-op op / CowGuard", "own work % (CPU vs no-op)", "sole analyzer % (CPU vs empty)");
        foreach (var r in results)
        {
            table.Row(
                r.Corpus.Profile.Name,
                N(r.Corpus.Files.Count),
                N(r.Corpus.Lines),
                N(r.Corpus.PageReferenceSites),
                N(r.Cg0001),
                $"{Ms(r.Compile.Wall)} / {Ms(r.Compile.Cpu)}",
                r.CowGuardCallbacks.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
                Pct(r.CallbackPercent, "F3"),
                r.CallbackMicrosecondsPerKiloLine.ToString("F0", CultureInfo.InvariantCulture),
                $"{Ms(r.EmptyAnalyzer.Cpu)} / {Ms(r.NoOpOperation.Cpu)} / {Ms(r.CowGuard.Cpu)}",
                Pct(r.OwnWorkPercent, "F2"),
                Pct(r.SoleAnalyzerPercent, "F1"));
        }

        return table.ToString() + "\n" + PerRule(results);
    }

    /// <summary>Callback time per CowGuard analyzer (telemetry is per analyzer type, so one class per rule gives per-rule time).</summary>
    private static string PerRule(IReadOnlyList<OverheadResult> results)
    {
        var names = results.SelectMany(r => r.CallbacksPerAnalyzer.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new MarkdownTable(["corpus", "lines", .. names.Select(n => n.Replace("Analyzer", string.Empty, StringComparison.Ordinal) + " ms")]);
        foreach (var r in results)
        {
            table.Row([
                r.Corpus.Profile.Name,
                N(r.Corpus.Lines),
                .. names.Select(n => r.CallbacksPerAnalyzer.TryGetValue(n, out var t) ? t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) : "-"),
            ]);
        }

        return table.ToString();
    }

    /// <summary>The compilation-start gate alone (see <see cref="GateMeasurement"/>).</summary>
    public static string RenderGates(IReadOnlyList<GateResult> gates)
    {
        var table = new MarkdownTable("compilation-start gate", "rules registered", "CPU µs, warm metadata (median)", "CPU µs, fresh metadata (median)");
        foreach (var g in gates)
        {
            table.Row(g.Corpus, g.Registers ? "yes" : "no (no VmModel)", Us(g.WarmMetadata), Us(g.FreshMetadata));
        }

        return table.ToString();
    }

    private static string Us(TimeSpan time) => time.TotalMicroseconds.ToString("F0", CultureInfo.InvariantCulture);

    public static string GrowthChart(IReadOnlyList<OverheadResult> results)
    {
        var series = new List<ChartSeries>();
        foreach (var group in results.GroupBy(r => r.Corpus.Profile.Name))
        {
            series.Add(new ChartSeries($"{group.Key}: CowGuard", group.Select(r => ((double)r.Corpus.Lines, r.CowGuardCallbacks.TotalMilliseconds)).ToList()));
            series.Add(new ChartSeries($"{group.Key}: compile", group.Select(r => ((double)r.Corpus.Lines, r.Compile.Wall.TotalMilliseconds)).ToList()));
        }

        return SvgChart.LogLog("Analyzer time vs. lines (dashed: linear)", "lines of code", "milliseconds", series);
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture) + "%";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
}
