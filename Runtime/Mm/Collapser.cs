namespace CowGuard.VmModel;

/// <summary>
/// MADV_COLLAPSE (madvise_collapse → collapse_huge_page): each PMD-aligned 2 MiB part of the range is copied into a
/// new PMD-mapped THP, which is exclusive to this mm (folio_add_new_anon_rmap(RMAP_EXCLUSIVE)); the old pages lose
/// this mm's mappings. Pages with references beyond their mappings (GUP, pipes) make it fail, like
/// is_refcount_suitable. Limits of khugepaged (max_ptes_none/shared/swap) do not apply to MADV_COLLAPSE. Runs with
/// mmap_lock held for write (collapse_huge_page's mmap_write_lock); the refcount check, the copy and the switch to the
/// new THP happen under one hold of the PTL, so a reference GUP-fast grabs after the check is dropped again when its
/// re-read of the entry finds the THP (the kernel gets the same effect by clearing the PMD before it checks).
/// </summary>
internal static class Collapser
{
    public static void Collapse(VmProcess process, ulong address, ulong length)
    {
        process.Machine.Memory.LruAddDrain();
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
        using (process.PageTableLock.Lock())
        {
            var head = vma.Ptes[first];
            if (head.IsPresent && head.IsHuge && !head.Folio!.IsZero)
                return; // already PMD-mapped
            if (head.IsPresent && head.IsHuge)
                HugeMapping.Split(process, vma, first);
        }

        for (var i = first; i < first + count; i++)
        {
            var pte = process.ReadEntry(vma.Ptes, i);
            if (pte.IsSwap)
                machine.Faults.HandleFault(process, vma, vma.AddressOf(i), FaultFlags.None); // __collapse_huge_page_swapin
            if (process.ReadEntry(vma.Ptes, i).Has(PteBits.UffdWp))
                throw new ResourceBusyException(vma.AddressOf(i), "EAGAIN: uffd-wp protected PTE in the range (SCAN_PTE_UFFD_WP)");
        }

        List<Folio>? deferred = null;
        using (process.PageTableLock.Lock())
            Replace(process, vma, pmd, first, ref deferred);
        machine.Swapper.FinishDeferredFrees(deferred);
    }

    /// <summary>__collapse_huge_page_isolate + __collapse_huge_page_copy + set_pmd_at (PTL held).</summary>
    private static void Replace(VmProcess process, VmArea vma, ulong pmd, int first, ref List<Folio>? deferred)
    {
        var machine = process.Machine;
        const int count = 1 << PageGeometry.PmdOrder;
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
                source.CopyPagesTo(pte.Index, huge, i, 1);
        }

        Unmapper.ZapRangeLocked(process, vma, first, count, ref deferred);
        var bits = PteBits.Huge | PteBits.Young | PteBits.Dirty | PteBits.SoftDirty
                   | (vma.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);
        machine.Era.SetFolioAnonExclusive(huge); // folio_add_new_anon_rmap(RMAP_EXCLUSIVE)
        for (var i = 0; i < count; i++)
            vma.Ptes[first + i] = Pte.Present(huge, i, bits);

        huge.SetEntireMapCount(1);
        huge.SetRefCount(1);
        machine.Memory.AddToLru(huge);
        machine.Trace(VmEventKind.Collapse, process, pmd, null, machine.Snap(huge, 0), "collapse_huge_page: new exclusive PMD-mapped THP");
    }
}
