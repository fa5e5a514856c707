namespace CowGuard.VmModel;

/// <summary>
/// Swap: add_to_swap + try_to_unmap + pageout + __remove_mapping for MADV_PAGEOUT, the swapcache lookups of
/// do_swap_page, and folio_free_swap / free_swap_and_cache.
/// </summary>
internal sealed class Swapper(Machine machine)
{
    /// <summary>madvise_pageout on [first, first+count) of one VMA.</summary>
    public void PageOut(VmProcess mm, VmArea vma, int first, int count)
    {
        if (vma.IsHugetlb)
            throw new InvalidVmArgumentException(vma.AddressOf(first), "EINVAL: MADV_PAGEOUT on hugetlb (can_madv_lru_vma)");
        machine.Memory.LruAddDrain();
        for (var i = first; i < first + count; i++)
        {
            var pte = vma.Ptes[i];
            if (pte.IsPresent && pte.IsHuge && !pte.Folio!.IsZero)
                HugeMapping.Split(mm, vma, i); // try_to_unmap(TTU_SPLIT_HUGE_PMD)
        }

        var seen = new HashSet<Folio>(ReferenceEqualityComparer.Instance);
        for (var i = first; i < first + count; i++)
        {
            var folio = vma.Ptes[i].Folio;
            if (folio is null || !vma.Ptes[i].IsPresent || !folio.IsAnon || folio.IsKsm || !seen.Add(folio))
                continue;
            TrySwapOut(mm, vma, first, count, folio);
        }
    }

    public (Folio Folio, int Index) SwapInFolio(int slotId, long linearIndex)
    {
        var slot = machine.Memory.Swap.Get(slotId);
        if (slot.CachedFolio is { } cached)
            return (cached, slot.CachedIndex);
        var folio = machine.Memory.Allocate(0, FolioKind.Anon, linearIndex);
        folio.Pages[0].CopyContentsFrom(slot.Contents);
        folio.Pages[0].SwapSlot = slotId;
        folio.InSwapCache = true;
        folio.RefCount = 1;
        slot.CachedFolio = folio;
        slot.CachedIndex = 0;
        machine.Memory.AddToLru(folio);
        return (folio, 0);
    }

    /// <summary>After do_swap_page: drop the swapcache copy once no swap PTE refers to the folio any more.</summary>
    public void AfterSwapIn(Folio folio, int slotId)
    {
        machine.Memory.Swap.FreeIfUnused(slotId);
        TryFreeSwapCache(folio);
    }

    /// <summary>folio_free_swap: leave the swapcache if no swap PTE refers to any of the folio's slots.</summary>
    public bool TryFreeSwapCache(Folio folio)
    {
        if (!folio.InSwapCache)
            return false;
        var swap = machine.Memory.Swap;
        foreach (var page in folio.Pages)
        {
            if (page.SwapSlot != 0 && swap.Get(page.SwapSlot).SwapCount > 0)
                return false;
        }

        for (var i = 0; i < folio.NrPages; i++)
        {
            var id = folio.Pages[i].SwapSlot;
            if (id == 0)
                continue;
            swap.Get(id).CachedFolio = null;
            swap.FreeIfUnused(id);
            folio.Pages[i].SwapSlot = 0;
        }

        folio.InSwapCache = false;
        machine.Memory.Put(folio, folio.NrPages, "", 0);
        return true;
    }

    /// <summary>free_swap_and_cache: a swap PTE was zapped.</summary>
    public void DropSwapEntry(int slotId)
    {
        var swap = machine.Memory.Swap;
        var slot = swap.Get(slotId);
        slot.SwapCount--;
        if (slot.SwapCount > 0)
            return;
        if (slot.CachedFolio is { } folio)
            TryFreeSwapCache(folio);
        else
            swap.FreeIfUnused(slotId);
    }

    private void TrySwapOut(VmProcess mm, VmArea vma, int first, int count, Folio folio)
    {
        var address = vma.AddressOf(first);
        if (machine.Era.PageOutSkipsMaybePinned && folio.MaybeDmaPinned)
        {
            machine.Trace(VmEventKind.SwapOut, mm, address, machine.Snap(folio, 0), null, "skipped: folio_maybe_dma_pinned");
            return;
        }

        var mappings = machine.Rmap.FindMappings(folio);
        if (mappings.Any(m => m.Process != mm || m.Vma != vma || m.Index < first || m.Index >= first + count))
            return; // madvise_pageout leaves folios that other mappings share
        var swap = machine.Memory.Swap;
        if (!folio.InSwapCache)
        {
            // shrink_folio_list → add_to_swap: one slot per page, the swapcache holds one reference per page. A folio
            // still in the swapcache (swapped in while another swap PTE, e.g. a forked child's, refers to its slot)
            // keeps its slot: try_to_unmap points the new swap PTEs at folio->swap.
            if (!swap.HasRoomFor(folio.NrPages))
                return;
            for (var i = 0; i < folio.NrPages; i++)
            {
                var id = swap.Allocate();
                folio.Pages[i].SwapSlot = id;
                var slot = swap.Get(id);
                slot.CachedFolio = folio;
                slot.CachedIndex = i;
            }

            folio.InSwapCache = true;
            PhysicalMemory.Get(folio, folio.NrPages);
        }

        // try_to_unmap_one: folio_try_share_anon_rmap_pte clears PageAnonExclusive, remembered in the swap PTE.
        foreach (var (process, area, index) in mappings)
        {
            ref var pte = ref area.Ptes[index];
            var sub = pte.Index;
            var before = machine.Snap(folio, sub);
            var exclusive = folio.Pages[sub].AnonExclusive;
            folio.Pages[sub].AnonExclusive = false;
            var bits = (pte.Bits & (PteBits.SoftDirty | PteBits.UffdWp)) | (exclusive ? PteBits.SwpExclusive : PteBits.None);
            var slotId = folio.Pages[sub].SwapSlot;
            pte = Pte.SwapEntry(slotId, bits);
            swap.Get(slotId).SwapCount++;
            folio.Pages[sub].MapCount--;
            machine.Memory.Put(folio, 1, process.Name, area.AddressOf(index));
            machine.Trace(VmEventKind.SwapOut, process, area.AddressOf(index), before, machine.Snap(folio, sub),
                $"swap slot {slotId}{(exclusive ? ", swp exclusive" : "")}");
        }

        // shrink_folio_list: written back and freed only if nobody else (GUP, pipe) holds the folio.
        if (folio.RefCount != folio.NrPages)
            return;
        for (var i = 0; i < folio.NrPages; i++)
        {
            var id = folio.Pages[i].SwapSlot;
            var slot = swap.Get(id);
            slot.Contents.CopyContentsFrom(folio.Pages[i]);
            slot.CachedFolio = null;
            folio.Pages[i].SwapSlot = 0;
            swap.FreeIfUnused(id);
        }

        var reclaimed = machine.Snap(folio, 0);
        folio.InSwapCache = false;
        machine.Memory.Put(folio, folio.NrPages, mm.Name, address);
        machine.Trace(VmEventKind.SwapReclaim, mm, address, reclaimed, null, "written back and freed");
    }
}
