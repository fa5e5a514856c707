using CowGuard.Scenarios.Interpretation;

namespace CowGuard.Cli;

/// <summary>
/// Collapses a process's page-table entries into rows for the picture: consecutive entries that map consecutive
/// page frames with the same protection (or consecutive swap entries) become one row, so a 2 MiB THP is one line.
/// </summary>
internal sealed record PageTableRow(ulong Start, int Pages, bool Writable, bool Swapped, PteSnapshot First)
{
    public long? FirstPfn => First.Page?.Pfn;

    public static IReadOnlyList<PageTableRow> Collapse(IReadOnlyList<PteSnapshot> entries)
    {
        var rows = new List<PageTableRow>();
        foreach (var entry in entries)
        {
            if (rows.Count > 0 && Continues(rows[^1], entry))
            {
                rows[^1] = rows[^1] with { Pages = rows[^1].Pages + 1 };
            }
            else
            {
                rows.Add(new PageTableRow(entry.Address, 1, entry.Writable, entry.Swapped, entry));
            }
        }

        return rows;
    }

    private static bool Continues(PageTableRow row, PteSnapshot next) =>
        next.Address == row.Start + ((ulong)row.Pages << 12)
        && next.Writable == row.Writable
        && next.Swapped == row.Swapped
        && (row.Swapped || (row.FirstPfn is { } pfn && next.Page?.Pfn == pfn + row.Pages
            && next.Page.Value.RefCount == row.First.Page!.Value.RefCount
            && next.Page.Value.MapCount == row.First.Page.Value.MapCount
            && next.Page.Value.AnonExclusive == row.First.Page.Value.AnonExclusive));
}
