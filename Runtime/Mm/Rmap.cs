namespace CowGuard.VmModel;

/// <summary>
/// The reverse map (rmap_walk): which page-table entries map a folio. Anonymous folios are found through their linear
/// index (folio->index against vma->vm_pgoff, kept across fork and mremap like anon_vma), page-cache folios through
/// the VMAs mapping their file, KSM folios by scanning (their stable node's list). A walk over all processes holds the
/// machine's anon_vma lock (shared at least) and takes each process's PTL in turn, never two at once.
/// </summary>
internal sealed class Rmap(Machine machine)
{
    /// <summary>Every mapping of the folio (the caller holds <see cref="Machine.RmapLock"/> and no PTL).</summary>
    public List<(VmProcess Process, VmArea Vma, int Index)> FindMappings(Folio folio)
    {
        var result = new List<(VmProcess, VmArea, int)>();
        foreach (var process in machine.ProcessList)
        {
            using (process.PageTableLock.Lock())
                AddMappings(process, folio, result);
        }

        return result;
    }

    /// <summary>
    /// How many mappings of the folio this mm has (its PTL held), each PMD mapping counted once — equal to the folio's
    /// mapcount exactly when no other mm maps it (the question the kernel answers with its per-folio mm ids).
    /// </summary>
    public static int CountMappingsIn(VmProcess mm, Folio folio)
    {
        var mappings = 0;
        foreach (var vma in mm.Areas)
        {
            if (!Covers(vma, folio, out var lo, out var hi))
                continue;
            for (var i = lo; i < hi; i++)
            {
                var pte = vma.Ptes[i];
                if (pte.Folio == folio && (!pte.IsHuge || pte.Index == 0))
                    mappings++;
            }
        }

        return mappings;
    }

    private static void AddMappings(VmProcess process, Folio folio, List<(VmProcess, VmArea, int)> result)
    {
        foreach (var vma in process.Areas)
        {
            if (!Covers(vma, folio, out var lo, out var hi))
                continue;
            for (var i = lo; i < hi; i++)
            {
                if (vma.Ptes[i].Folio == folio)
                    result.Add((process, vma, i));
            }
        }
    }

    /// <summary>The slots of the VMA where the folio can be mapped.</summary>
    private static bool Covers(VmArea vma, Folio folio, out int lo, out int hi)
    {
        if (folio.IsKsm)
        {
            (lo, hi) = (0, vma.PageCount);
            return true;
        }

        if (folio.File is { } file ? vma.File != file : vma.IsShared)
        {
            (lo, hi) = (0, 0);
            return false;
        }

        var first = folio.Index - vma.PgOff;
        (lo, hi) = ((int)Math.Clamp(first, 0, vma.PageCount), (int)Math.Clamp(first + folio.NrPages, 0, vma.PageCount));
        return true;
    }
}
