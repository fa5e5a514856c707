namespace CowGuard.VmModel;

/// <summary>do_swap_page (mm/memory.c): a fault on a swap entry.</summary>
internal sealed partial class FaultHandler
{
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
