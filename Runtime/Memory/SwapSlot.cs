namespace CowGuard.VmModel;

/// <summary>
/// One swap slot: the swap count (swap PTEs referring to it, swap_map), the folio in the swapcache for it (if any),
/// and the written-back contents once that folio was reclaimed.
/// </summary>
internal sealed class SwapSlot
{
    public int SwapCount;
    public Folio? CachedFolio;
    public int CachedIndex;
    public Subpage Contents;
}
