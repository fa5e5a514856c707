namespace CowGuard.VmModel;

/// <summary>
/// 5.11–5.18, modelled as 5.12–5.17 (the long-term-stable state of the era): do_wp_page reuses a small anonymous page
/// only when page_count == 1 and mapcount == 1 (09854ba94c6a), so every extra reference — a pin, the swapcache, the
/// lru_add batch — forces a copy. Fork copies maybe-pinned pages for the child (70e806e4e645, 5.9; hugetlb
/// 4eae4efa2c29, 5.12). PMD-mapped THPs and hugetlb keep the mapcount rule (B13 until 5.18; hugetlb still today).
/// Reclaim skips maybe-pinned pages (feb889fb40fa) and clear_refs leaves them writable (9348b73c2e1b), both 5.11-rc4.
/// <see cref="EarlyRefcountEra"/> is mainline 5.9–5.10, before those three; 5.11 has the two 5.11 fixes but still
/// shares a pinned hugetlb page at fork.
/// </summary>
internal class RefcountEra : Era
{
    public override string Name => "Refcount";

    public override string KernelVersions => "5.11–5.18";

    /// <summary>09854ba94c6a's do_wp_page: not KSM, page_count == 1 and page_mapcount == 1.</summary>
    internal override bool WpCanReuseAnonFolio(ReuseQuery query)
    {
        var folio = query.Folio;
        return !folio.IsKsm && folio.RefCount == 1 && folio.PageMapCount(query.Index) == 1;
    }

    /// <summary>do_huge_pmd_wp_page still used reuse_swap_page / page_trans_huge_mapcount until 5.18.</summary>
    internal override bool DoHugePmdWpPageCanReuse(ReuseQuery query)
    {
        var folio = query.Folio;
        var max = 0;
        for (var i = 0; i < folio.NrPages; i++)
            max = Math.Max(max, folio.Pages[i].MapCount + query.SwapCount(i));
        return max + folio.EntireMapCount <= 1;
    }

    /// <summary>copy_present_page / page_needs_cow_for_dma: mm->has_pinned and page_maybe_dma_pinned.</summary>
    internal override bool PageNeedsCowForDma(VmProcess parent, Folio folio, int index) =>
        parent.HasPinned && folio.MaybeDmaPinned;

    /// <summary>do_swap_page kept reuse_swap_page (mapcount + swapcount) until c145e0b47c77 (5.18).</summary>
    internal override bool DoSwapPageExclusive(SwapInQuery query) =>
        query.WriteFault && query.OtherMappings + query.SwapCount <= 1;

    /// <summary>shrink_page_list: page_maybe_dma_pinned ⇒ keep_locked, before add_to_swap (feb889fb40fa).</summary>
    internal override bool ShrinkFolioListKeepsPinned(Folio folio) => folio.MaybeDmaPinned;

    /// <summary>
    /// 5.11–5.18's try_to_unmap_one did not look at pins; the model re-checks anyway, so that a page pinned by
    /// GUP-fast between shrink_page_list's check and the unmap stays mapped (a deliberate simplification: the kernel
    /// left that narrow window open until 5.19).
    /// </summary>
    internal override bool TryToUnmapKeepsPinned(Folio folio) => folio.MaybeDmaPinned;

    /// <summary>pte_is_pinned: a writable entry of a COW mapping, mm->has_pinned and page_maybe_dma_pinned.</summary>
    internal override bool PteIsPinned(VmProcess mm, VmArea vma, in Pte pte) => WritableCowPteMaybePinned(mm, vma, pte);
}
