namespace CowGuard.VmModel;

/// <summary>What do_swap_page knows when deciding whether the page it maps back is exclusive.</summary>
/// <param name="Folio">The swapcache folio (or the freshly read one).</param>
/// <param name="Index">The page within the folio.</param>
/// <param name="SwpExclusiveBit">pte_swp_exclusive of the swap PTE.</param>
/// <param name="OtherMappings">page_mapcount before this PTE is mapped.</param>
/// <param name="SwapCount">swap_count of the slot, including this PTE's entry.</param>
/// <param name="ExtraRefs">References on the folio other than the swapcache's and the mappings' (GUP, pipes, LRU batch).</param>
/// <param name="WriteFault">FAULT_FLAG_WRITE.</param>
internal readonly record struct SwapInQuery(
    Folio Folio, int Index, bool SwpExclusiveBit, int OtherMappings, int SwapCount, int ExtraRefs, bool WriteFault);
