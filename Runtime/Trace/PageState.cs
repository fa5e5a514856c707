namespace CowGuard.VmModel;

/// <summary>A snapshot of one page's counts, as a trace renderer shows them before and after an event.</summary>
/// <param name="Pfn">The page frame number (stable identity of the physical page).</param>
/// <param name="RefCount">folio_ref_count of the page's folio.</param>
/// <param name="MapCount">page_mapcount: PTE mappings of the page plus the folio's PMD mappings.</param>
/// <param name="PinCount">Pins: exact for large folios, refcount / GUP_PIN_COUNTING_BIAS for small ones.</param>
/// <param name="AnonExclusive">PG_anon_exclusive of the page.</param>
/// <param name="Ksm">The page is a KSM page.</param>
/// <param name="SwapCache">The folio is in the swapcache.</param>
/// <param name="Kind">Anonymous, file, zero page or huge zero page.</param>
public readonly record struct PageState(
    long Pfn, int RefCount, int MapCount, int PinCount, bool AnonExclusive, bool Ksm, bool SwapCache, FolioKind Kind)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"pfn {Pfn}: ref {RefCount} map {MapCount} pin {PinCount}{(AnonExclusive ? " PAE" : "")}{(Ksm ? " KSM" : "")}{(SwapCache ? " swapcache" : "")}";
}
