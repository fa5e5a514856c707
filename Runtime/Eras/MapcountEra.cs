namespace CowGuard.VmModel;

/// <summary>
/// ≤ 5.7 (mm/memory.c do_wp_page of v5.7): an anonymous page is reused when reuse_swap_page() sees
/// mapcount + swapcount == 1. GUP references are invisible to the decision, which is CVE-2020-29374 (B2), and fork
/// shares pinned pages like any other (B11).
/// </summary>
internal class MapcountEra : Era
{
    public override string Name => "Mapcount";

    public override string KernelVersions => "≤ 5.7";

    /// <summary>do_wp_page of 5.7: a KSM page through reuse_ksm_page, anything else through reuse_swap_page.</summary>
    internal override bool WpCanReuseAnonFolio(ReuseQuery query)
    {
        var folio = query.Folio;
        if (folio.IsKsm)
            return ReuseKsmPage(query);
        return ReuseSwapPage(query);
    }

    /// <summary>do_huge_pmd_wp_page of 5.7: reuse_swap_page on the THP.</summary>
    internal override bool DoHugePmdWpPageCanReuse(ReuseQuery query) => ReuseSwapPage(query);

    /// <summary>5.7 do_swap_page: a write fault maps the page writable iff reuse_swap_page() (mapcount + swapcount ≤ 1).</summary>
    internal override bool DoSwapPageExclusive(SwapInQuery query) =>
        query.WriteFault && query.OtherMappings + query.SwapCount <= 1;

    /// <summary>
    /// reuse_ksm_page (mm/ksm.c, 5.1–5.7): a KSM page nobody else references is taken over by the faulting mapping;
    /// page_move_anon_rmap points it at this VMA's anon_vma, which ends PageKsm.
    /// </summary>
    private static bool ReuseKsmPage(ReuseQuery query)
    {
        if (query.Folio.InSwapCache || query.Folio.RefCount != 1)
            return false;
        query.MoveAnonRmap();
        return true;
    }

    /// <summary>
    /// reuse_swap_page (mm/swapfile.c): for a THP the maximum over subpages of mapcount + swapcount plus the compound
    /// mapcount (page_trans_huge_map_swapcount). As a side effect an unused swapcache copy is dropped.
    /// </summary>
    private static bool ReuseSwapPage(ReuseQuery query)
    {
        var folio = query.Folio;
        int count;
        if (!folio.IsLarge)
        {
            count = folio.Pages[0].MapCount + query.SwapCount(0);
        }
        else
        {
            var max = 0;
            for (var i = 0; i < folio.NrPages; i++)
                max = Math.Max(max, folio.Pages[i].MapCount + query.SwapCount(i));
            count = max + folio.EntireMapCount;
        }

        if (count > 1)
            return false;
        query.TryFreeSwapCache();
        return true;
    }
}
