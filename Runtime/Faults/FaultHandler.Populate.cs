namespace CowGuard.VmModel;

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

    /// <summary>hugetlb_no_page: a huge page from the file's page cache or, for private anonymous hugetlb, from the pool.</summary>
    private void HugetlbNoPage(VmProcess mm, VmArea vma, ulong address, bool write)
    {
        var size = PageGeometry.OrderSize(vma.HugetlbOrder);
        var start = PageGeometry.AlignDown(address, size);
        var first = vma.IndexOf(start);
        Folio folio;
        PteBits bits = PteBits.Young | PteBits.Huge;
        if (vma.File is { } file)
        {
            folio = file.PageForFault(vma.PgOff + first, address).Folio;
            if (vma.IsShared && vma.Has(VmFlags.Write))
                bits |= PteBits.Write | (write ? PteBits.Dirty | PteBits.SoftDirty : PteBits.None);
        }
        else
        {
            if (vma.HugetlbPagesStolen)
                throw new BusErrorException(address, "SIGBUS: the reservation owner took this hugetlb page back (unmap_ref_private)");
            var useReservation = vma.HugetlbReservedPages > 0;
            folio = machine.Memory.AllocateHugetlb(vma.HugetlbOrder, useReservation, vma.LinearIndex(start))
                    ?? throw new BusErrorException(address, "SIGBUS: hugetlb pool exhausted");
            if (useReservation)
                vma.HugetlbReservedPages--;
            Era.SetPageAnonExclusive(folio, 0);
            if (write && vma.Has(VmFlags.Write))
                bits |= PteBits.Write | PteBits.Dirty | PteBits.SoftDirty;
        }

        for (var i = 0; i < folio.NrPages; i++)
            vma.Ptes[first + i] = Pte.Present(folio, i, bits);
        folio.AddEntireMapCount(1);
        PhysicalMemory.Get(folio);
        machine.Trace(VmEventKind.AnonymousFault, mm, start, null, machine.Snap(folio, 0), $"hugetlb order {vma.HugetlbOrder}");
    }

    /// <summary>
    /// hugetlb_wp: reuse when AnonExclusive or when the mapcount is 1 (every era); otherwise copy into a new huge page.
    /// With the pool empty the reservation owner steals the page from the other mappers (unmap_ref_private), anybody
    /// else gets SIGBUS.
    /// </summary>
    private void HugetlbWp(VmProcess mm, VmArea vma, ulong address, bool unshare)
    {
        var index = vma.IndexOf(address);
        var (first, count) = HugeMapping.RangeOf(vma, index);
        var old = vma.Ptes[first].Folio!;
        if (old.IsAnon)
        {
            var reusable = Era.PageAnonExclusive(old, 0)
                           || Era.HugetlbWpCanReuse(new ReuseQuery(machine, mm, vma, address, old, 0));
            if (reusable)
            {
                ReuseHuge(mm, vma, index, address, unshare, "hugetlb_wp");
                return;
            }
        }

        var copy = machine.Memory.AllocateHugetlb(vma.HugetlbOrder, useReservation: false, vma.LinearIndex(vma.AddressOf(first)));
        if (copy is null)
        {
            if (vma.HugetlbReservationOwner && old.IsAnon)
            {
                StealAndReuse(mm, vma, index, address, unshare, old);
                return;
            }

            throw new BusErrorException(address, "SIGBUS: no free huge page for a hugetlb COW");
        }

        var before = machine.Snap(old, 0);
        old.CopyPagesTo(0, copy, 0, count);
        Era.SetPageAnonExclusive(copy, 0);
        var bits = PteBits.Huge | (unshare
            ? PteBits.Young | (vma.Ptes[first].Bits & (PteBits.SoftDirty | PteBits.UffdWp))
            : WriteFaultBits(vma));
        for (var i = 0; i < count; i++)
            vma.Ptes[first + i] = Pte.Present(copy, i, bits);
        copy.SetEntireMapCount(1);
        copy.SetRefCount(1);
        old.AddEntireMapCount(-1);
        machine.Memory.Put(old, 1, mm.Name, address);
        machine.Trace(unshare ? VmEventKind.Unshare : VmEventKind.Copy, mm, vma.AddressOf(first), before, machine.Snap(copy, 0), "hugetlb copy");
    }

    /// <summary>
    /// hugetlb_wp with an empty pool, in the reservation owner: drop the PTL, unmap_ref_private under the rmap lock,
    /// retake the PTL and — if the entry is still the one that faulted — reuse the page (retry_avoidcopy).
    /// </summary>
    private void StealAndReuse(VmProcess mm, VmArea vma, int index, ulong address, bool unshare, Folio old)
    {
        var (first, _) = HugeMapping.RangeOf(vma, index);
        var orig = vma.Ptes[first];
        mm.PageTableLock.Exit();
        try
        {
            using (machine.RmapLock.Write()) // i_mmap_lock_write
                StealHugetlbPage(mm, old);
        }
        finally
        {
            mm.PageTableLock.Enter();
        }

        if (Pte.Same(vma.Ptes[first], orig))
            ReuseHuge(mm, vma, index, address, unshare, "hugetlb_wp after unmap_ref_private");
    }

    /// <summary>unmap_ref_private: unmap the page from every other process; their VMAs SIGBUS on the next fault.</summary>
    private void StealHugetlbPage(VmProcess owner, Folio folio)
    {
        List<Folio>? noSwapEntries = null; // hugetlb pages are never swapped, so the zap defers nothing
        foreach (var (process, vma, index) in machine.Rmap.FindMappings(folio))
        {
            if (process == owner)
                continue;
            using (process.PageTableLock.Lock())
            {
                if (vma.Ptes[index].Folio != folio || vma.Ptes[index].Index != 0)
                    continue;
                var before = machine.Snap(folio, 0);
                Unmapper.ZapRangeLocked(process, vma, index, folio.NrPages, ref noSwapEntries);
                vma.HugetlbPagesStolen = true;
                machine.Trace(VmEventKind.HugetlbSteal, process, vma.AddressOf(index), before, machine.Snap(folio, 0), $"taken back by {owner.Name}");
            }
        }
    }

    /// <summary>
    /// do_swap_page: find (or read) the swapcache folio and lock it with the PTL dropped, then map it if the swap entry
    /// is unchanged (pte_same) and the folio still caches that slot (folio_matches_swap_entry); exclusivity per era.
    /// The folio needs no extra reference while the PTL is dropped: as long as the entry exists its swap count keeps
    /// the swapcache, and with it the folio; when the entry is gone the fault backs out without touching the folio.
    /// </summary>
    private void DoSwapPage(VmProcess mm, VmArea vma, ulong address, bool write)
    {
        var index = vma.IndexOf(address);
        var orig = vma.Ptes[index];
        var slotId = orig.SwapSlot;
        (Folio Folio, int Index)? found;
        mm.PageTableLock.Exit();
        try
        {
            found = machine.Swapper.SwapInFolio(slotId, vma.LinearIndex(address));
            found?.Folio.Lock();
        }
        finally
        {
            mm.PageTableLock.Enter();
        }

        if (found is not { } hit)
            return; // the slot was freed meanwhile: the entry changed, the caller looks again
        var (folio, page) = hit;
        try
        {
            if (Pte.Same(vma.Ptes[index], orig) && Swapper.IsSwapcacheFolioOf(folio, page, slotId))
                MapSwappedIn(mm, vma, address, write, orig, folio, page);
        }
        finally
        {
            folio.Unlock();
        }
    }

    /// <summary>The mapping half of do_swap_page (PTL and folio lock held, entry verified).</summary>
    private void MapSwappedIn(VmProcess mm, VmArea vma, ulong address, bool write, in Pte swapPte, Folio folio, int index)
    {
        ref var pte = ref vma.PteAt(address);
        var slotId = swapPte.SwapSlot;
        var swapBits = swapPte.Bits;
        var swapCount = machine.Swapper.SwapCountOf(slotId);
        var swapcacheRefs = folio.InSwapCache ? folio.NrPages : 0;
        var extraRefs = folio.RefCount - folio.FolioMapCount() - swapcacheRefs;
        var query = new SwapInQuery(folio, index, (swapBits & PteBits.SwpExclusive) != 0, folio.PageMapCount(index),
            swapCount, extraRefs, write);
        var exclusive = folio.IsAnon && !folio.IsKsm && Era.DoSwapPageExclusive(query);
        var bits = PteBits.Young | (swapBits & (PteBits.SoftDirty | PteBits.UffdWp));
        var softDirtyWriteProtect = !vma.Has(VmFlags.SoftDirty) && (swapBits & PteBits.SoftDirty) == 0;
        if (exclusive && vma.Has(VmFlags.Write) && (swapBits & PteBits.UffdWp) == 0 && !softDirtyWriteProtect)
        {
            bits |= PteBits.Write | (write ? PteBits.Dirty | PteBits.SoftDirty : PteBits.None);
        }

        var before = machine.Snap(folio, index);
        if (exclusive)
            Era.SetPageAnonExclusive(folio, index);
        pte = Pte.Present(folio, index, bits);
        folio.AddMapCount(index, 1);
        PhysicalMemory.Get(folio);
        machine.Swapper.AfterSwapIn(folio, slotId);
        machine.Trace(VmEventKind.SwapIn, mm, address, before, machine.Snap(folio, index),
            exclusive ? "exclusive" : "possibly shared: mapped read-only");
    }
}
