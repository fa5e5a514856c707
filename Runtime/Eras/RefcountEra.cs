namespace CowGuard.VmModel;

/// <summary>
/// 5.9–5.18, modelled as 5.11–5.17 (the long-term-stable state of the era): do_wp_page reuses a small anonymous page
/// only when page_count == 1 and mapcount == 1 (09854ba94c6a), so every extra reference — a pin, the swapcache, the
/// lru_add batch — forces a copy. Fork copies maybe-pinned pages for the child (70e806e4e645; hugetlb 4eae4efa2c29,
/// 5.11). PMD-mapped THPs and hugetlb keep the mapcount rule (B13 until 5.18; hugetlb still today). Reclaim skips
/// maybe-pinned pages (feb889fb40fa) and clear_refs leaves them writable (9348b73c2e1b), both 5.11.
/// </summary>
internal sealed class RefcountEra : Era
{
    public override string Name => "Refcount";

    public override string KernelVersions => "5.9–5.18";

    internal override bool TracksAnonExclusive => false;

    internal override bool CanReuseAnonPte(ReuseQuery query)
    {
        var folio = query.Folio;
        return !folio.IsKsm && folio.RefCount == 1 && folio.PageMapCount(query.Index) == 1;
    }

    /// <summary>do_huge_pmd_wp_page still used reuse_swap_page / page_trans_huge_mapcount until 5.18.</summary>
    internal override bool CanReuseAnonPmd(ReuseQuery query)
    {
        var folio = query.Folio;
        var max = 0;
        for (var i = 0; i < folio.NrPages; i++)
            max = Math.Max(max, folio.Pages[i].MapCount + query.SwapCount(i));
        return max + folio.EntireMapCount <= 1;
    }

    /// <summary>copy_present_page / page_needs_cow_for_dma: mm->has_pinned and page_maybe_dma_pinned.</summary>
    internal override bool ForkCopiesForChild(VmProcess parent, Folio folio) =>
        parent.HasPinned && folio.MaybeDmaPinned;

    /// <summary>do_swap_page kept reuse_swap_page (mapcount + swapcount) until c145e0b47c77 (5.18).</summary>
    internal override bool SwapInExclusive(SwapInQuery query) =>
        query.WriteFault && query.OtherMappings + query.SwapCount <= 1;

    internal override bool PageOutSkipsMaybePinned => true;

    internal override bool ClearRefsSkipsMaybePinned => true;
}
