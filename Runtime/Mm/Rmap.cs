namespace CowGuard.VmModel;

/// <summary>
/// The reverse map (rmap_walk): which page-table entries map a folio. Anonymous folios are found through their linear
/// index (folio->index against vma->vm_pgoff, kept across fork and mremap like anon_vma), page-cache folios through
/// the VMAs mapping their file, KSM folios by scanning (their stable node's list).
/// </summary>
internal sealed class Rmap(Machine machine)
{
    public List<(VmProcess Process, VmArea Vma, int Index)> FindMappings(Folio folio)
    {
        var result = new List<(VmProcess, VmArea, int)>();
        foreach (var process in machine.Processes)
        {
            foreach (var vma in process.Areas)
            {
                int lo, hi;
                if (folio.IsKsm)
                {
                    (lo, hi) = (0, vma.PageCount);
                }
                else if (folio.File is { } file)
                {
                    if (vma.File != file)
                        continue;
                    (lo, hi) = Window(vma, folio);
                }
                else
                {
                    if (vma.IsShared)
                        continue;
                    (lo, hi) = Window(vma, folio);
                }

                for (var i = lo; i < hi; i++)
                {
                    if (vma.Ptes[i].Folio == folio)
                        result.Add((process, vma, i));
                }
            }
        }

        return result;
    }

    public List<VmProcess> MappingProcesses(Folio folio) =>
        FindMappings(folio).Select(m => m.Process).Distinct().ToList();

    private static (int Lo, int Hi) Window(VmArea vma, Folio folio)
    {
        var lo = folio.Index - vma.PgOff;
        var hi = lo + folio.NrPages;
        return ((int)Math.Clamp(lo, 0, vma.PageCount), (int)Math.Clamp(hi, 0, vma.PageCount));
    }
}
