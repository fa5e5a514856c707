using System.Globalization;
using System.Security;
using System.Text;
using CowGuard.Scenarios.Interpretation;

namespace CowGuard.Cli;

/// <summary>
/// Draws snapshots as SVG: one panel per chosen step; in each, the processes with their page-table rows on the left
/// and the physical pages (pfn, refcount, mapcount, pincount, PageAnonExclusive) on the right, with an arrow from
/// every row to the page it maps. A page mapped by two processes has two arrows: that is COW sharing.
/// </summary>
internal static class SvgPicture
{
    private const int PanelWidth = 560;
    private const int RowHeight = 22;
    private const int Top = 60;

    public static string Render(string title, IReadOnlyList<(string Label, MachineSnapshot Snapshot)> panels)
    {
        var bodies = new StringBuilder();
        var height = 0;
        for (var i = 0; i < panels.Count; i++)
        {
            height = Math.Max(height, DrawPanel(bodies, i * PanelWidth, panels[i].Label, panels[i].Snapshot));
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{panels.Count * PanelWidth}" height="{height + 20}" font-family="monospace" font-size="12">""").AppendLine();
        svg.AppendLine("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>""");
        svg.AppendLine($"""<rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="14" font-weight="bold">{Escape(title)}</text>""");
        svg.Append(bodies);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static int DrawPanel(StringBuilder svg, int left, string label, MachineSnapshot snapshot)
    {
        svg.AppendLine(Text(left + 10, 44, label, "font-weight=\"bold\""));
        var pages = new Dictionary<long, int>();
        var pageBoxes = new List<(long Pfn, int Y, PageTableRow Row)>();
        var y = Top;
        foreach (var process in snapshot.Processes)
        {
            var rows = PageTableRow.Collapse(process.Entries);
            var boxTop = y;
            var content = new StringBuilder();
            content.AppendLine(Text(left + 14, y + 15, process.Name, "font-weight=\"bold\""));
            y += RowHeight;
            foreach (var row in rows)
            {
                var protection = row.Swapped ? "swap" : row.Writable ? "RW" : "R/O";
                var span = row.Pages == 1 ? string.Empty : $" ×{row.Pages}";
                content.AppendLine(Text(left + 22, y + 15, $"0x{row.Start:x}{span} {protection}", row.Writable ? "fill=\"#06c\"" : string.Empty));
                if (row.FirstPfn is { } pfn)
                {
                    if (!pages.TryGetValue(pfn, out var pageY))
                    {
                        pageY = Top + (pageBoxes.Count * (RowHeight + 8));
                        pages[pfn] = pageY;
                        pageBoxes.Add((pfn, pageY, row));
                    }

                    content.AppendLine(Arrow(left + 250, y + 11, left + 330, pageY + 11));
                }

                y += RowHeight;
            }

            svg.AppendLine(Box(left + 8, boxTop, 240, y - boxTop + 4, "#f4f4f4"));
            svg.Append(content);
            y += 12;
        }

        foreach (var (pfn, pageY, row) in pageBoxes)
        {
            var page = row.First.Page!.Value;
            var span = row.Pages == 1 ? $"pfn {pfn}" : $"pfn {pfn}..{pfn + row.Pages - 1}";
            var exclusive = page.AnonExclusive ? " PAE" : string.Empty;
            svg.AppendLine(Box(left + 330, pageY, 220, RowHeight, page.AnonExclusive ? "#e6f4e6" : "#fff4e0"));
            svg.AppendLine(Text(left + 336, pageY + 15, $"{span} ref {page.RefCount} map {page.MapCount} pin {page.PinCount}{exclusive}"));
        }

        return Math.Max(y, Top + (pageBoxes.Count * (RowHeight + 8)));
    }

    private static string Text(int x, int y, string text, string attributes = "") =>
        $"""<text x="{x}" y="{y}" {attributes}>{Escape(text)}</text>""";

    private static string Box(int x, int y, int width, int height, string fill) =>
        $"""<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" fill-opacity="0.6" stroke="#888"/>""";

    private static string Arrow(int x1, int y1, int x2, int y2) =>
        $"""<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#444" marker-end="url(#arrow)"/>""";

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
