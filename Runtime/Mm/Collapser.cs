namespace CowGuard.VmModel;

/// <summary>
/// MADV_COLLAPSE (madvise_collapse → collapse_huge_page): each PMD-aligned 2 MiB part of the range is copied into a
/// new PMD-mapped THP, which is exclusive to this mm (folio_add_new_anon_rmap(RMAP_EXCLUSIVE)); the old pages lose
/// this mm's mappings. Pages with references beyond their mappings (GUP, pipes) make it fail, like
/// is_refcount_suitable. Limits of khugepaged (max_ptes_none/shared/swap) do not apply to MADV_COLLAPSE.
/// </summary>
internal static class Collapser
{
    public static void Collapse(VmProcess process, ulong address, ulong length)
    {
        var machine = process.Machine;
        machine.Memory.LruAddDrain();
        var start = PageGeometry.AlignUp(address, PageGeometry.PmdSize);
        for (var pmd = start; pmd + PageGeometry.PmdSize <= address + length; pmd += PageGeometry.PmdSize)
            CollapseOne(process, pmd);
    }

    private static void CollapseOne(VmProcess process, ulong pmd)
    {
        var machine = process.Machine;
        var vma = process.FindVma(pmd);
        if (vma is null || pmd + PageGeometry.PmdSize > vma.End || !vma.IsAnonymous || vma.IsShared || vma.IsHugetlb)
            throw new InvalidVmArgumentException(pmd, "EINVAL: MADV_COLLAPSE needs a private anonymous VMA covering the whole PMD");
        if (vma.Has(VmFlags.NoHugePage))
            throw new InvalidVmArgumentException(pmd, "EINVAL: MADV_COLLAPSE in a VM_NOHUGEPAGE VMA");
        var first = vma.IndexOf(pmd);
        const int count = 1 << PageGeometry.PmdOrder;
        var head = vma.Ptes[first];
        if (head.IsPresent && head.IsHuge && !head.Folio!.IsZero)
            return; // already PMD-mapped
        if (head.IsPresent && head.IsHuge)
            HugeMapping.Split(process, vma, first);

        for (var i = first; i < first + count; i++)
        {
            if (vma.Ptes[i].IsSwap)
                machine.Faults.HandleFault(process, vma, vma.AddressOf(i), FaultFlags.None); // __collapse_huge_page_swapin
            if (vma.Ptes[i].Has(PteBits.UffdWp))
                throw new ResourceBusyException(vma.AddressOf(i), "EAGAIN: uffd-wp protected PTE in the range (SCAN_PTE_UFFD_WP)");
        }

        for (var i = first; i < first + count; i++)
        {
            if (vma.Ptes[i].Folio is { IsZero: false } folio)
            {
                var swapcacheRefs = folio.InSwapCache ? folio.NrPages : 0;
                if (folio.IsKsm || folio.RefCount != folio.FolioMapCount() + swapcacheRefs)
                    throw new ResourceBusyException(vma.AddressOf(i), "EAGAIN: page has references beyond its mappings (is_refcount_suitable)");
            }
        }

        var huge = machine.Memory.Allocate(PageGeometry.PmdOrder, FolioKind.Anon, vma.LinearIndex(pmd));
        for (var i = 0; i < count; i++)
        {
            var pte = vma.Ptes[first + i];
            if (pte.Folio is { IsZero: false } source)
                huge.Pages[i].CopyContentsFrom(source.Pages[pte.Index]);
        }

        Unmapper.ZapRange(process, vma, first, count);
        var bits = PteBits.Huge | PteBits.Young | PteBits.Dirty | PteBits.SoftDirty
                   | (vma.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);
        for (var i = 0; i < count; i++)
        {
            huge.Pages[i].AnonExclusive = machine.Era.TracksAnonExclusive;
            vma.Ptes[first + i] = Pte.Present(huge, i, bits);
        }

        huge.EntireMapCount = 1;
        huge.RefCount = 1;
        machine.Memory.AddToLru(huge);
        machine.Trace(VmEventKind.Collapse, process, pmd, null, machine.Snap(huge, 0), "collapse_huge_page: new exclusive PMD-mapped THP");
    }
}
