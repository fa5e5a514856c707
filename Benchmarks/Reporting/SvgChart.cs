using System.Globalization;
using System.Text;

namespace CowGuard.Benchmarks.Reporting;

/// <summary>One named line of a chart.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A log-log line chart as standalone SVG. On log-log axes linear growth is a line of slope 1, which is what the
/// growth figures need to show; a dashed slope-1 guide through each series' first point makes deviations visible.
/// </summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 440;
    private const int Left = 80;
    private const int Right = 380; // room for legends such as "io_uring register+unregister (pin+unpin)"
    private const int Top = 40;
    private const int Bottom = 60;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"];

    public static string LogLog(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => p.X > 0 && p.Y > 0).ToList();
        if (points.Count == 0)
        {
            throw new ArgumentException("a log-log chart needs at least one positive point", nameof(series));
        }

        var (xMin, xMax) = Decades(points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = Decades(points.Min(p => p.Y), points.Max(p => p.Y));
        double Px(double x) => Left + (Math.Log10(x) - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (Math.Log10(y) - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        Axes(svg, xMin, xMax, yMin, yMax, Px, Py);
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        svg.Append(Invariant($"<text x=\"18\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>\n"));
        for (var i = 0; i < series.Count; i++)
        {
            Series(svg, series[i], Colors[i % Colors.Length], i, Px, Py, Math.Pow(10, xMax));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Axes(StringBuilder svg, double xMin, double xMax, double yMin, double yMax, Func<double, double> px, Func<double, double> py)
    {
        for (var d = xMin; d <= xMax; d++)
        {
            var x = px(Math.Pow(10, d));
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Height - Bottom}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Label(d)}</text>\n"));
        }

        for (var d = yMin; d <= yMax; d++)
        {
            var y = py(Math.Pow(10, d));
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Label(d)}</text>\n"));
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#444\"/>\n"));
    }

    private static void Series(StringBuilder svg, ChartSeries series, string color, int index, Func<double, double> px, Func<double, double> py, double xEnd)
    {
        var points = series.Points.Where(p => p.X > 0 && p.Y > 0).OrderBy(p => p.X).ToList();
        if (points.Count == 0)
        {
            return;
        }

        var path = string.Join(" ", points.Select(p => Invariant($"{px(p.X):F1},{py(p.Y):F1}")));
        svg.Append(Invariant($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
        foreach (var p in points)
        {
            svg.Append(Invariant($"<circle cx=\"{px(p.X):F1}\" cy=\"{py(p.Y):F1}\" r=\"3\" fill=\"{color}\"/>\n"));
        }

        var first = points[0];
        var last = points[^1];
        var guideEnd = Math.Min(xEnd, last.X);
        svg.Append(Invariant($"<line x1=\"{px(first.X):F1}\" y1=\"{py(first.Y):F1}\" x2=\"{px(guideEnd):F1}\" y2=\"{py(first.Y * guideEnd / first.X):F1}\" stroke=\"{color}\" stroke-dasharray=\"4 4\" opacity=\"0.6\"/>\n"));
        var legendY = Top + 10 + (index * 18);
        svg.Append(Invariant($"<line x1=\"{Width - Right + 12}\" y1=\"{legendY}\" x2=\"{Width - Right + 32}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width - Right + 38}\" y=\"{legendY + 4}\">{Escape(series.Name)}</text>\n"));
    }

    private static (double Min, double Max) Decades(double min, double max)
    {
        var low = Math.Floor(Math.Log10(min));
        var high = Math.Ceiling(Math.Log10(max));
        return (low, high > low ? high : low + 1);
    }

    private static string Label(double decade) => Math.Pow(10, decade) switch
    {
        >= 1e9 => Invariant($"{Math.Pow(10, decade - 9):G3}G"),
        >= 1e6 => Invariant($"{Math.Pow(10, decade - 6):G3}M"),
        >= 1e3 => Invariant($"{Math.Pow(10, decade - 3):G3}k"),
        var v => Invariant($"{v:G3}"),
    };

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
