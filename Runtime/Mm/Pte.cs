namespace CowGuard.VmModel;

/// <summary>
/// One page-table entry. A struct in a per-VMA array, so page tables cost no object per PTE. A present entry points
/// to a subpage of a folio; a swap entry carries a slot id; a none entry has neither.
/// </summary>
internal struct Pte
{
    public Folio? Folio;
    public int Index;
    public int SwapSlot;
    public PteBits Bits;

    /// <summary>
    /// Not part of the entry's value (pte_same and every decision ignore it): where the mapped page's bytes were last
    /// seen (<see cref="Folio.ContentHint"/>), kept by the user access path so it can start loading them while it
    /// loads the folio, instead of after. It lives in the struct's padding; a stale hint only costs a wasted load.
    /// </summary>
    public int ContentHint;

    public readonly bool IsNone => Folio is null && SwapSlot == 0;

    public readonly bool IsPresent => (Bits & PteBits.Present) != 0;

    public readonly bool IsSwap => Folio is null && SwapSlot != 0;

    public readonly bool IsWrite => (Bits & PteBits.Write) != 0;

    public readonly bool IsHuge => (Bits & PteBits.Huge) != 0;

    public readonly bool Has(PteBits bits) => (Bits & bits) == bits;

    public static Pte Present(Folio folio, int index, PteBits bits) =>
        new() { Folio = folio, Index = index, Bits = bits | PteBits.Present };

    public static Pte SwapEntry(int slot, PteBits bits) => new() { SwapSlot = slot, Bits = bits & ~PteBits.Present };

    /// <summary>pte_same: the same page (or swap slot) with the same bits.</summary>
    public static bool Same(in Pte a, in Pte b) =>
        ReferenceEquals(a.Folio, b.Folio) && a.Index == b.Index && a.SwapSlot == b.SwapSlot && a.Bits == b.Bits;
}
