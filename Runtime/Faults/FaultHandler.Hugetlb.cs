namespace CowGuard.VmModel;

/// <summary>The hugetlb faults (mm/hugetlb.c): hugetlb_no_page, hugetlb_wp and unmap_ref_private.</summary>
internal sealed partial class FaultHandler
{
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
}
