namespace CowGuard.VmModel;

/// <summary>The faults on an empty entry (mm/memory.c): do_anonymous_page and the huge zero page, do_fault on a file.</summary>
internal sealed partial class FaultHandler
{
    /// <summary>
    /// do_anonymous_page / do_huge_pmd_anonymous_page: a read maps the zero page (or the huge zero page in a PMD-THP
    /// eligible range); a write allocates a folio of the largest enabled THP order that fits (alloc_anon_folio). The
    /// allocation happens with the PTL dropped; afterwards the range must still be empty (vmf_pte_changed /
    /// pte_range_none), else another thread populated it and the new folio is released.
    /// </summary>
    private void DoAnonymousPage(VmProcess mm, VmArea vma, ulong address, bool write)
    {
        var order = ChooseAnonOrder(vma, address);
        if (!write && (order != PageGeometry.PmdOrder || machine.Options.UseHugeZeroPage))
        {
            MapZeroPage(mm, vma, address, order == PageGeometry.PmdOrder);
            return;
        }

        var size = PageGeometry.OrderSize(order);
        var start = PageGeometry.AlignDown(address, size);
        var first = vma.IndexOf(start);
        Folio folio;
        mm.PageTableLock.Exit();
        try
        {
            folio = machine.Memory.Allocate(order, FolioKind.Anon, vma.LinearIndex(start));
        }
        finally
        {
            mm.PageTableLock.Enter();
        }

        if (!RangeNone(vma, first, 1 << order))
        {
            machine.Memory.Discard(folio, mm.Name, start); // someone else handled it
            return;
        }

        var bits = PteBits.Present | PteBits.Young | PteBits.Dirty | PteBits.SoftDirty
                   | (vma.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);
        Era.SetFolioAnonExclusive(folio);
        for (var i = 0; i < folio.NrPages; i++)
            vma.Ptes[first + i] = Pte.Present(folio, i, order == PageGeometry.PmdOrder ? bits | PteBits.Huge : bits);

        if (order == PageGeometry.PmdOrder)
        {
            folio.SetEntireMapCount(1);
            folio.SetRefCount(1);
        }
        else
        {
            for (var i = 0; i < folio.NrPages; i++)
                folio.Pages[i].MapCount = 1;
            folio.SetRefCount(folio.NrPages);
        }

        machine.Memory.AddToLru(folio);
        machine.Trace(VmEventKind.AnonymousFault, mm, start, null, machine.Snap(folio, 0),
            order == 0 ? "base page" : $"THP order {order}{(order == PageGeometry.PmdOrder ? " (PMD)" : " (PTE-mapped mTHP)")}");
    }

    private void MapZeroPage(VmProcess mm, VmArea vma, ulong address, bool huge)
    {
        if (huge)
        {
            var start = PageGeometry.AlignDown(address, PageGeometry.PmdSize);
            var first = vma.IndexOf(start);
            var hugeZero = machine.Memory.HugeZeroPage;
            for (var i = 0; i < hugeZero.NrPages; i++)
                vma.Ptes[first + i] = Pte.Present(hugeZero, i, PteBits.Young | PteBits.Special | PteBits.Huge);
            machine.Trace(VmEventKind.ZeroPageMapped, mm, start, null, null, "huge zero page (PMD)");
            return;
        }

        vma.PteAt(address) = Pte.Present(machine.Memory.ZeroPage, 0, PteBits.Young | PteBits.Special);
        machine.Trace(VmEventKind.ZeroPageMapped, mm, address, null, null, "shared zero page");
    }

    /// <summary>thp_vma_allowable_orders + pte_range_none: the largest enabled order whose aligned range fits and is empty.</summary>
    private int ChooseAnonOrder(VmArea vma, ulong address)
    {
        if (vma.Has(VmFlags.NoHugePage) || !vma.IsAnonymous)
            return 0;
        for (var k = PageGeometry.ThpOrders.Count - 1; k >= 0; k--)
        {
            var order = PageGeometry.ThpOrders[k];
            var mode = machine.ThpModeOfOrder(order);
            if (mode == ThpMode.Never || (mode == ThpMode.Madvise && !vma.Has(VmFlags.HugePage)))
                continue;
            var size = PageGeometry.OrderSize(order);
            var start = PageGeometry.AlignDown(address, size);
            if (start < vma.Start || start + size > vma.End)
                continue;
            if (RangeNone(vma, vma.IndexOf(start), 1 << order))
                return order;
        }

        return 0;
    }

    /// <summary>pte_range_none.</summary>
    private static bool RangeNone(VmArea vma, int first, int count)
    {
        foreach (var pte in vma.Ptes.AsSpan(first, count))
        {
            if (!pte.IsNone)
                return false;
        }

        return true;
    }

    /// <summary>do_read_fault / do_shared_fault / do_cow_fault on a (shmem-like) file.</summary>
    private void DoFileFault(VmProcess mm, VmArea vma, ulong address, bool write)
    {
        var index = vma.IndexOf(address);
        var file = vma.File!;
        var pageCache = file.PageForFault(vma.PgOff + index, address);
        ref var pte = ref vma.Ptes[index];
        if (write && !vma.IsShared)
        {
            var copy = machine.Memory.Allocate(0, FolioKind.Anon, vma.LinearIndex(address));
            pageCache.Folio.CopyPagesTo(pageCache.Index, copy, 0, 1);
            MapNewSmallAnon(copy, ref pte, WriteFaultBits(vma));
            machine.Trace(VmEventKind.Copy, mm, address, machine.Snap(pageCache.Folio, pageCache.Index), machine.Snap(copy, 0), "do_cow_fault");
            return;
        }

        var bits = PteBits.Young;
        if (vma.IsShared && vma.Has(VmFlags.Write))
            bits |= PteBits.Write | (write ? PteBits.Dirty | PteBits.SoftDirty : PteBits.None);
        pte = Pte.Present(pageCache.Folio, pageCache.Index, bits);
        pageCache.Folio.AddMapCount(pageCache.Index, 1);
        PhysicalMemory.Get(pageCache.Folio);
        machine.Trace(VmEventKind.FileFault, mm, address, null, machine.Snap(pageCache.Folio, pageCache.Index), file.Name);
    }
}
