namespace CowGuard.VmModel;

/// <summary>
/// What an era's reuse rule may look at and do while deciding a write (or unshare) fault on an anonymous page: the
/// folio, the faulting subpage, the swap counts, and the side effects the kernel performs while deciding
/// (lru_add_drain, freeing the swapcache under the folio lock, page_move_anon_rmap of a reused KSM page). Asked under
/// the faulting mm's PTL with the folio locked.
/// </summary>
internal sealed class ReuseQuery(Machine machine, VmProcess process, VmArea vma, ulong address, Folio folio, int index)
{
    public Folio Folio { get; } = folio;

    public int Index { get; } = index;

    /// <summary>swap_count of the page's slot while the folio is in the swapcache (0 otherwise).</summary>
    public int SwapCount(int index)
    {
        var slot = Folio.Pages[index].SwapSlot;
        return slot == 0 ? 0 : machine.Swapper.SwapCountOf(slot);
    }

    /// <summary>lru_add_drain: drop the lru_add batch's transient reference (d4c470970d45, 5.18+).</summary>
    public void LruAddDrain() => machine.Memory.LruAddDrain();

    /// <summary>folio_free_swap / try_to_free_swap: leave the swapcache when no swap PTE refers to the folio.</summary>
    public bool TryFreeSwapCache() => machine.Swapper.FreeSwapCacheLocked(Folio);

    /// <summary>page_move_anon_rmap: the faulting VMA takes the page over; a KSM page becomes an ordinary anon page.</summary>
    public void MoveAnonRmap()
    {
        Folio.IsKsm = false;
        Folio.Index = vma.LinearIndex(address);
    }

    /// <summary>
    /// No other process maps the folio (folio_test_large_maybe_mapped_shared, the per-folio mm ids of newer kernels):
    /// this mm's own mappings account for the whole mapcount.
    /// </summary>
    public bool MappedOnlyByThisProcess() => Rmap.CountMappingsIn(process, Folio) == Folio.FolioMapCount();
}
