namespace CowGuard.VmModel;

/// <summary>
/// Mainline 5.9–5.10: the refcount rule of <see cref="RefcountEra"/> (09854ba94c6a) and its early COW of pinned pages
/// at fork (70e806e4e645, d042035eaf5f), before the pin fixes that followed. It refines Refcount and differs in three
/// places:
/// <list type="bullet">
/// <item>clear_refs 4 write-protects maybe-pinned PTEs too (pte_is_pinned came with 9348b73c2e1b, 5.11-rc4), so the
/// process's next write copies away from the pin (B7).</item>
/// <item>Reclaim adds a maybe-pinned page to the swapcache and unmaps it (feb889fb40fa, 5.11-rc4, is missing); the pin
/// keeps it from being freed, a read refault maps it read-only and the next write copies away from the pin (B10). A
/// write refault still reuses it: do_swap_page's reuse_swap_page counts mappings and swap entries, not references.</item>
/// <item>Fork shares a pinned hugetlb page like any other: copy_hugetlb_page_range learnt the early COW only in
/// 4eae4efa2c29 (5.12), so after fork the parent's write copies away from the pin (cow.c test 8 on hugetlb, B11).</item>
/// </list>
/// Not modelled as differences: clear_refs took mmap_lock for read around its page walk until 29a951dfb3c3 (the model
/// takes it for write, as 5.11+ does; the difference is in locking only), and GUP-fast's write_protect_seq check
/// against a concurrent fork (57efa1fe5957, 5.11) closed a memory-ordering window a sequentially consistent model
/// cannot open. The 5.10.y stable series took the three 5.11-rc4 fixes in 5.10.10 (Jan 2021); this era stands for the
/// mainline releases.
/// </summary>
internal sealed class EarlyRefcountEra : RefcountEra
{
    public override string Name => "EarlyRefcount";

    public override string KernelVersions => "5.9–5.10";

    /// <inheritdoc />
    public override Era? Refines => Refcount;

    /// <summary>copy_present_page's check (anonymous pages, PMDs split first); copy_hugetlb_page_range asks nothing.</summary>
    internal override bool PageNeedsCowForDma(VmProcess parent, Folio folio, int index) =>
        !folio.IsHugetlb && base.PageNeedsCowForDma(parent, folio, index);

    /// <summary>shrink_page_list puts a maybe-pinned page into the swapcache like any other.</summary>
    internal override bool ShrinkFolioListKeepsPinned(Folio folio) => false;

    /// <summary>try_to_unmap_one unmaps it.</summary>
    internal override bool TryToUnmapKeepsPinned(Folio folio) => false;

    /// <summary>clear_soft_dirty write-protects every present PTE.</summary>
    internal override bool PteIsPinned(VmProcess mm, VmArea vma, in Pte pte) => false;
}
