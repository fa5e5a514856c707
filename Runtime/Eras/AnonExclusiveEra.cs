namespace CowGuard.VmModel;

/// <summary>
/// 5.19 and later, modelled as 6.18 (the kernel of this machine): PageAnonExclusive per subpage ("COW fixes part 2",
/// 6c287605fd56), reuse when exclusive or when wp_can_reuse_anon_folio finds the refcount exclusive, R/O pins of
/// non-exclusive anon pages unshare first (a7f226604170), R/O long-term pins also unshare the zero page and page
/// cache pages in COW mappings (84209e87c696, 6.2), fork copies maybe-pinned exclusive pages for the child
/// (folio_try_dup_anon_rmap), swap remembers exclusivity (1493a1913e34), large folios are reused by mm-id tracking.
/// </summary>
internal class AnonExclusiveEra : Era
{
    public override string Name => "AnonExclusive";

    public override string KernelVersions => "5.19+";

    /// <summary>PageAnonExclusive of the subpage, or of the head page for hugetlb.</summary>
    internal override bool PageAnonExclusive(Folio folio, int index) => folio.Pages[folio.IsHugetlb ? 0 : index].AnonExclusive;

    internal override void SetPageAnonExclusive(Folio folio, int index) => folio.Pages[folio.IsHugetlb ? 0 : index].AnonExclusive = true;

    internal override bool PassesAnonExclusiveSanityCheck(Folio folio, int index) => PageAnonExclusive(folio, index);

    internal override bool WpCanReuseAnonFolio(ReuseQuery query) =>
        query.Folio.IsLarge ? CanReuseLargeAnonFolio(query) : CanReuseSmallAnonFolio(query);

    /// <summary>do_huge_pmd_wp_page: reuse when the folio's only reference is this PMD (after freeing the swapcache).</summary>
    internal override bool DoHugePmdWpPageCanReuse(ReuseQuery query)
    {
        if (query.Folio.InSwapCache)
            query.TryFreeSwapCache();
        return query.Folio.RefCount == 1;
    }

    /// <summary>gup_must_unshare (mm/internal.h).</summary>
    internal override bool GupMustUnshare(VmArea? vma, FollFlags flags, bool pin, Folio folio, int index)
    {
        if (!pin || (flags & FollFlags.Write) != 0)
            return false;
        if (!folio.IsAnon)
            return (flags & FollFlags.Longterm) != 0 && (vma is null || vma.IsCowMapping);
        return !PageAnonExclusive(folio, index);
    }

    /// <summary>5535be309971: only an exclusive anonymous page may be written through a R/O PTE with FOLL_FORCE.</summary>
    internal override bool CanFollowWritePte(in Pte pte, bool cowCycleDone) =>
        pte.Folio is { IsAnon: true } folio && PageAnonExclusive(folio, pte.Index) && !pte.Has(PteBits.UffdWp);

    /// <summary>
    /// __folio_try_dup_anon_rmap: a page that is no longer exclusive is already shared and just gets duplicated; an
    /// exclusive one fails with -EBUSY when folio_needs_cow_for_dma (MMF_HAS_PINNED and folio_maybe_dma_pinned).
    /// </summary>
    internal override bool PageNeedsCowForDma(VmProcess parent, Folio folio, int index) =>
        PageAnonExclusive(folio, index) && parent.HasPinned && folio.MaybeDmaPinned;

    /// <summary>
    /// do_swap_page: pte_swp_exclusive, or the refcount proves nobody else can hold the page. Exclusivity no longer
    /// depends on the fault being a write, so a read fault maps an exclusive page writable too.
    /// </summary>
    internal override bool DoSwapPageExclusive(SwapInQuery query) =>
        query.SwpExclusiveBit || (query.OtherMappings == 0 && query.SwapCount <= 1 && query.ExtraRefs == 0);

    /// <summary>shrink_folio_list skips maybe-pinned folios (feb889fb40fa).</summary>
    internal override bool ShrinkFolioListKeepsPinned(Folio folio) => folio.MaybeDmaPinned;

    /// <summary>folio_try_share_anon_rmap_pte refuses to unmap a maybe-pinned exclusive page.</summary>
    internal override bool TryToUnmapKeepsPinned(Folio folio) => folio.MaybeDmaPinned;

    /// <summary>pte_is_pinned is still asked by clear_soft_dirty: MMF_HAS_PINNED and folio_maybe_dma_pinned.</summary>
    internal override bool PteIsPinned(VmProcess mm, VmArea vma, in Pte pte) => WritableCowPteMaybePinned(mm, vma, pte);

    /// <summary>
    /// can_change_pte_writable: an anonymous page that is PageAnonExclusive, with no uffd-wp or soft-dirty tracking
    /// waiting for the write fault (vma_soft_dirty_enabled &amp;&amp; !pte_soft_dirty).
    /// </summary>
    internal override bool CanChangePteWritable(VmArea vma, in Pte pte)
    {
        var folio = pte.Folio!;
        if (!folio.IsAnon || folio.IsKsm || pte.Has(PteBits.UffdWp))
            return false;
        if (!vma.Has(VmFlags.SoftDirty) && !pte.Has(PteBits.SoftDirty))
            return false;
        return PageAnonExclusive(folio, pte.Index);
    }

    /// <summary>wp_can_reuse_anon_folio for a small folio.</summary>
    private static bool CanReuseSmallAnonFolio(ReuseQuery query)
    {
        var folio = query.Folio;
        if (folio.IsKsm || folio.RefCount > 3)
            return false;
        if (!folio.OnLru)
            query.LruAddDrain();
        if (folio.RefCount > 1 + (folio.InSwapCache ? 1 : 0))
            return false;
        if (folio.InSwapCache)
            query.TryFreeSwapCache();
        return !folio.IsKsm && folio.RefCount == 1;
    }

    /// <summary>__wp_can_reuse_large_anon_folio (CONFIG_MM_ID kernels): exclusive to this mm and no extra references.</summary>
    private static bool CanReuseLargeAnonFolio(ReuseQuery query)
    {
        var folio = query.Folio;
        if (folio.FolioMapCount() <= 1)
            return false;
        if (!query.MappedOnlyByThisProcess())
            return false;
        if (folio.InSwapCache)
            query.TryFreeSwapCache();
        return folio.FolioMapCount() == folio.RefCount;
    }
}
