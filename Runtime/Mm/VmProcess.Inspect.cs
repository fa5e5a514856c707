namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>The VMAs in address order (a snapshot for renderers and tests).</summary>
    public IReadOnlyList<VmaInfo> Vmas
    {
        get
        {
            using (Machine.EnterOperation())
            using (MmapLock.Read())
                return _vmas.Select(Describe).ToList();
        }
    }

    /// <summary>The page-table entry and page counts at an address, without faulting anything in.</summary>
    /// <param name="address">Any user address (rounded down to its page).</param>
    public PageInfo Inspect(ulong address)
    {
        using (Machine.EnterOperation())
        using (MmapLock.Read())
            return InspectLocked(address);
    }

    private PageInfo InspectLocked(ulong address)
    {
        EnsureAlive("inspect");
        var page = PageGeometry.AlignDown(address, PageGeometry.PageSize);
        var vma = FindVma(page);
        if (vma is null)
            return new PageInfo(page, false, false, false, false, false, false, false, false, false, 0, null);
        var pte = ReadEntry(vma.Ptes, vma.IndexOf(page));
        var folio = pte.IsPresent ? pte.Folio : null;
        return new PageInfo(
            page,
            pte.IsPresent,
            pte.IsSwap,
            pte.Has(PteBits.Write),
            pte.Has(PteBits.Dirty),
            pte.Has(PteBits.SoftDirty),
            pte.Has(PteBits.UffdWp),
            pte.IsSwap && pte.Has(PteBits.SwpExclusive),
            pte.IsPresent && pte.IsHuge && !vma.IsHugetlb,
            vma.IsHugetlb,
            folio?.Order ?? 0,
            folio?.StateOf(pte.Index));
    }

    private static VmaInfo Describe(VmArea vma)
    {
        var prot = (vma.Has(VmFlags.Read) ? Prot.Read : Prot.None) | (vma.Has(VmFlags.Write) ? Prot.Write : Prot.None);
        var names = new List<string>();
        void Add(VmFlags flag, string name)
        {
            if (vma.Has(flag))
                names.Add(name);
        }

        Add(VmFlags.DontCopy, "dc");
        Add(VmFlags.WipeOnFork, "wf");
        Add(VmFlags.HugePage, "hg");
        Add(VmFlags.NoHugePage, "nh");
        Add(VmFlags.Mergeable, "mg");
        Add(VmFlags.UffdWp, "uw");
        Add(VmFlags.SoftDirty, "sd");
        return new VmaInfo(vma.Start, vma.End, prot, vma.IsShared, vma.File?.Name,
            vma.IsHugetlb ? PageGeometry.OrderSize(vma.HugetlbOrder) : 0, names);
    }
}
