namespace CowGuard.VmModel;

/// <summary>
/// Swap: add_to_swap + try_to_unmap + pageout + __remove_mapping for MADV_PAGEOUT, the swapcache lookups of
/// do_swap_page, and folio_free_swap / free_swap_and_cache. Slot state is under swap_lock; a folio enters and leaves
/// the swapcache only under its folio lock.
/// </summary>
internal sealed class Swapper(Machine machine)
{
    private SwapDevice Swap => machine.Memory.Swap;

    /// <summary>madvise_pageout on [first, first+count) of one VMA (mmap_lock held for read).</summary>
    public void PageOut(VmProcess mm, VmArea vma, int first, int count)
    {
        if (vma.IsHugetlb)
            throw new InvalidVmArgumentException(vma.AddressOf(first), "EINVAL: MADV_PAGEOUT on hugetlb (can_madv_lru_vma)");
        machine.Memory.LruAddDrain();
        using (mm.PageTableLock.Lock())
        {
            for (var i = first; i < first + count; i++)
            {
                var pte = vma.Ptes[i];
                if (pte.IsPresent && pte.IsHuge && !pte.Folio!.IsZero)
                    HugeMapping.Split(mm, vma, i); // try_to_unmap(TTU_SPLIT_HUGE_PMD)
            }
        }

        var seen = new HashSet<Folio>(ReferenceEqualityComparer.Instance);
        for (var i = first; i < first + count; i++)
        {
            var pte = mm.ReadEntry(vma.Ptes, i);
            var folio = pte.Folio;
            if (folio is null || !pte.IsPresent || !folio.IsAnon || folio.IsKsm || !seen.Add(folio))
                continue;
            TrySwapOut(mm, vma, first, count, folio);
        }
    }

    /// <summary>
    /// swap_cache_get_folio, or read the slot into a fresh folio and add it to the swapcache (__read_swap_cache_async).
    /// Null when the slot is no longer allocated — the swap entry that named it is gone.
    /// </summary>
    public (Folio Folio, int Index)? SwapInFolio(int slotId, long linearIndex)
    {
        Folio folio;
        using (Swap.Lock.Lock())
        {
            if (!Swap.IsAllocated(slotId))
                return null;
            var slot = Swap.Get(slotId);
            if (slot.CachedFolio is { } cached)
                return (cached, slot.CachedIndex);
            folio = machine.Memory.Allocate(0, FolioKind.Anon, linearIndex);
            folio.CopyPageFrom(0, slot.Contents);
            folio.Pages[0].SwapSlot = slotId;
            folio.InSwapCache = true;
            folio.SetRefCount(1);
            slot.CachedFolio = folio;
            slot.CachedIndex = 0;
        }

        machine.Memory.AddToLru(folio);
        return (folio, 0);
    }

    /// <summary>folio_matches_swap_entry (folio lock held): the folio still caches this slot.</summary>
    public static bool IsSwapcacheFolioOf(Folio folio, int index, int slotId) =>
        folio.InSwapCache && folio.Pages[index].SwapSlot == slotId;

    /// <summary>swap_count of a slot.</summary>
    public int SwapCountOf(int slotId)
    {
        using (Swap.Lock.Lock())
            return Swap.Get(slotId).SwapCount;
    }

    /// <summary>After do_swap_page mapped the folio (folio lock held): drop the entry's swap count and the swapcache copy once no swap PTE refers to it.</summary>
    public void AfterSwapIn(Folio folio, int slotId)
    {
        using (Swap.Lock.Lock())
        {
            Swap.Get(slotId).SwapCount--;
            Swap.FreeIfUnused(slotId);
        }

        FreeSwapCacheLocked(folio);
    }

    /// <summary>folio_free_swap (folio lock held): leave the swapcache if no swap PTE refers to any of the folio's slots.</summary>
    public bool FreeSwapCacheLocked(Folio folio)
    {
        if (!folio.InSwapCache)
            return false;
        using (Swap.Lock.Lock())
        {
            foreach (var page in folio.Pages)
            {
                if (page.SwapSlot != 0 && Swap.Get(page.SwapSlot).SwapCount > 0)
                    return false;
            }

            for (var i = 0; i < folio.NrPages; i++)
            {
                var id = folio.Pages[i].SwapSlot;
                if (id == 0)
                    continue;
                Swap.Get(id).CachedFolio = null;
                Swap.FreeIfUnused(id);
                folio.Pages[i].SwapSlot = 0;
            }

            folio.InSwapCache = false;
        }

        machine.Memory.Put(folio, folio.NrPages, "", 0);
        return true;
    }

    /// <summary>
    /// free_swap_and_cache: a swap PTE was zapped (PTL held). The swapcache copy goes when the last entry does; its
    /// folio lock can only be tried here (the PTL is held), so a folio locked elsewhere is left to
    /// <see cref="FinishDeferredFrees"/>, which the zapper runs after it released the PTL.
    /// </summary>
    public void DropSwapEntry(int slotId, ref List<Folio>? deferred)
    {
        Folio? locked = null;
        using (Swap.Lock.Lock())
        {
            var slot = Swap.Get(slotId);
            slot.SwapCount--;
            if (slot.SwapCount > 0)
                return;
            if (slot.CachedFolio is not { } folio)
            {
                Swap.FreeIfUnused(slotId);
                return;
            }

            if (folio.TryLock())
            {
                locked = folio;
            }
            else
            {
                folio.RefAdd(1); // keeps it until the deferred free (the swapcache holds it now, so it is alive)
                (deferred ??= []).Add(folio);
            }
        }

        if (locked is null)
            return;
        FreeSwapCacheLocked(locked);
        locked.Unlock();
    }

    /// <summary>The folio_free_swap calls <see cref="DropSwapEntry"/> could not do under the PTL (no PTL held now).</summary>
    public void FinishDeferredFrees(List<Folio>? deferred)
    {
        if (deferred is null)
            return;
        foreach (var folio in deferred)
        {
            folio.Lock();
            try
            {
                FreeSwapCacheLocked(folio);
            }
            finally
            {
                folio.Unlock();
            }

            machine.Memory.Put(folio, 1, "", 0);
        }
    }

    /// <summary>
    /// shrink_folio_list for one folio picked by madvise_pageout (mmap_lock held for read): folio_trylock, skip folios
    /// mapped outside the range, add_to_swap unless the folio is in the swapcache already (a swapped-in page whose slot
    /// another process's swap entry still uses keeps that slot), try_to_unmap (per mapping, under the PTL, giving up on
    /// a folio that became maybe-pinned: folio_try_share_anon_rmap_pte), and reclaim it if nobody else holds a reference.
    /// </summary>
    private void TrySwapOut(VmProcess mm, VmArea vma, int first, int count, Folio folio)
    {
        var address = vma.AddressOf(first);
        if (machine.Era.ShrinkFolioListKeepsPinned(folio))
        {
            machine.Trace(VmEventKind.SwapOut, mm, address, machine.Snap(folio, 0), null, "skipped: folio_maybe_dma_pinned");
            return;
        }

        // folio_isolate_lru takes a reference: the entry this folio was found through may be zapped by another
        // thread of the mm now that the PTL is released, and a folio whose refcount reached 0 is gone.
        if (!folio.TryGet(1))
            return;
        var isolated = true;
        if (!folio.TryLock())
        {
            machine.Memory.Put(folio, 1, mm.Name, address);
            return;
        }

        try
        {
            List<(VmProcess Process, VmArea Vma, int Index)> mappings;
            using (machine.RmapLock.Read())
                mappings = machine.Rmap.FindMappings(folio);
            if (mappings.Count == 0 || mappings.Any(m => m.Process != mm || m.Vma != vma || m.Index < first || m.Index >= first + count))
                return; // madvise_pageout leaves folios that other mappings share
            if (!folio.InSwapCache && !AddToSwap(folio))
                return; // shrink_folio_list calls add_to_swap only for a folio not in the swapcache yet

            machine.Memory.Put(folio, 1, mm.Name, address); // the swapcache's references keep it from here on
            isolated = false;
            if (!TryToUnmap(mm, folio, mappings))
            {
                FreeSwapCacheLocked(folio); // unmapping gave up: nothing refers to the new slots but the swapcache
                return;
            }

            Reclaim(mm, address, folio);
        }
        finally
        {
            folio.Unlock();
            if (isolated)
                machine.Memory.Put(folio, 1, mm.Name, address);
        }
    }

    /// <summary>add_to_swap: one slot per page, the swapcache holds one reference per page.</summary>
    private bool AddToSwap(Folio folio)
    {
        using (Swap.Lock.Lock())
        {
            if (!Swap.HasRoomFor(folio.NrPages))
                return false;
            for (var i = 0; i < folio.NrPages; i++)
            {
                var id = Swap.Allocate();
                folio.Pages[i].SwapSlot = id;
                var slot = Swap.Get(id);
                slot.CachedFolio = folio;
                slot.CachedIndex = i;
            }
        }

        folio.InSwapCache = true;
        PhysicalMemory.Get(folio, folio.NrPages);
        return true;
    }

    /// <summary>
    /// try_to_unmap_one for each mapping (all in this mm): folio_try_share_anon_rmap_pte clears PageAnonExclusive,
    /// remembered in the swap PTE. False when it gave up before unmapping anything.
    /// </summary>
    private bool TryToUnmap(VmProcess mm, Folio folio, List<(VmProcess Process, VmArea Vma, int Index)> mappings)
    {
        var unmapped = 0;
        using (mm.PageTableLock.Lock())
        {
            foreach (var (process, area, index) in mappings)
            {
                ref var pte = ref area.Ptes[index];
                if (pte.Folio != folio || !pte.IsPresent)
                    continue; // another thread of the mm changed the entry after the rmap walk
                if (machine.Era.TryToUnmapKeepsPinned(folio))
                    break; // pinned meanwhile (GUP-fast): keep the remaining mappings
                var sub = pte.Index;
                var before = machine.Snap(folio, sub);
                var exclusive = folio.Pages[sub].AnonExclusive;
                folio.Pages[sub].AnonExclusive = false;
                var bits = (pte.Bits & (PteBits.SoftDirty | PteBits.UffdWp)) | (exclusive ? PteBits.SwpExclusive : PteBits.None);
                var slotId = folio.Pages[sub].SwapSlot;
                pte = Pte.SwapEntry(slotId, bits);
                using (Swap.Lock.Lock())
                    Swap.Get(slotId).SwapCount++;
                folio.AddMapCount(sub, -1);
                machine.Memory.Put(folio, 1, process.Name, area.AddressOf(index));
                unmapped++;
                machine.Trace(VmEventKind.SwapOut, process, area.AddressOf(index), before, machine.Snap(folio, sub),
                    $"swap slot {slotId}{(exclusive ? ", swp exclusive" : "")}");
            }
        }

        return unmapped > 0;
    }

    /// <summary>shrink_folio_list after unmapping: written back and freed only if nobody else (GUP, pipe, a mapping) holds the folio.</summary>
    private void Reclaim(VmProcess mm, ulong address, Folio folio)
    {
        using (Swap.Lock.Lock())
        {
            if (folio.RefCount != folio.NrPages)
                return;
            for (var i = 0; i < folio.NrPages; i++)
            {
                var id = folio.Pages[i].SwapSlot;
                var slot = Swap.Get(id);
                folio.CopyPageTo(i, ref slot.Contents);
                slot.CachedFolio = null;
                folio.Pages[i].SwapSlot = 0;
                Swap.FreeIfUnused(id);
            }
        }

        var reclaimed = machine.Snap(folio, 0);
        folio.InSwapCache = false;
        machine.Memory.Put(folio, folio.NrPages, mm.Name, address);
        machine.Trace(VmEventKind.SwapReclaim, mm, address, reclaimed, null, "written back and freed");
    }
}
