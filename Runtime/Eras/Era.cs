namespace CowGuard.VmModel;

/// <summary>
/// A COW era: the rules the kernel applied at the decision points that changed over time. One small class per era in
/// <c>Runtime/Eras</c>; the rest of the model asks the machine's era through the methods below, each named after the
/// kernel function (or flag) whose answer changed, and never tests which era it runs in.
/// </summary>
public abstract class Era
{
    private protected Era()
    {
    }

    /// <summary>≤ 5.7: reuse on write fault when mapcount + swapcount == 1 (reuse_swap_page).</summary>
    public static Era Mapcount { get; } = new MapcountEra();

    /// <summary>5.8: the mapcount rule plus 17839856fd58's forced COW break in GUP.</summary>
    public static Era ForcedCowGup { get; } = new ForcedCowGupEra();

    /// <summary>
    /// 5.9–5.10: the refcount rule before 5.11's pin fixes (clear_refs and reclaim did not yet leave maybe-pinned
    /// pages alone) and 5.12's early COW of pinned hugetlb pages at fork; refines <see cref="Refcount"/>.
    /// </summary>
    public static Era EarlyRefcount { get; } = new EarlyRefcountEra();

    /// <summary>5.11–5.18: reuse only when page_count == 1 (09854ba94c6a), early COW at fork for pinned pages.</summary>
    public static Era Refcount { get; } = new RefcountEra();

    /// <summary>
    /// 5.19–6.1: PageAnonExclusive and unsharing R/O pins of anonymous pages, before 6.2 also unshared page-cache pages
    /// and the zero page under R/O long-term pins in COW mappings (84209e87c696); refines <see cref="AnonExclusive"/>.
    /// </summary>
    public static Era EarlyAnonExclusive { get; } = new EarlyAnonExclusiveEra();

    /// <summary>5.19 and later (modelled as 6.18): PageAnonExclusive plus FAULT_FLAG_UNSHARE for R/O pins.</summary>
    public static Era AnonExclusive { get; } = new AnonExclusiveEra();

    /// <summary>All eras, oldest first.</summary>
    public static IReadOnlyList<Era> All { get; } = [Mapcount, ForcedCowGup, EarlyRefcount, Refcount, EarlyAnonExclusive, AnonExclusive];

    /// <summary>The short name (Mapcount, ForcedCowGup, EarlyRefcount, Refcount, EarlyAnonExclusive, AnonExclusive).</summary>
    public abstract string Name { get; }

    /// <summary>The kernel versions the era stands for, e.g. "5.11–5.18".</summary>
    public abstract string KernelVersions { get; }

    /// <summary>
    /// The era this one refines (a sub-range of its kernels that differs in a detail), or null: a scenario whose
    /// verdict line does not name this era takes the verdict it declares for the refined one.
    /// </summary>
    public virtual Era? Refines => null;

    /// <summary>
    /// The era whose COW rules a mainline kernel version follows. (5.10.y stable took 5.11's pin fixes in 5.10.10;
    /// 5.11 itself still shared pinned hugetlb pages at fork, the one answer in which it differs from Refcount.)
    /// </summary>
    /// <param name="major">Kernel major version (e.g. 6).</param>
    /// <param name="minor">Kernel minor version (e.g. 18).</param>
    public static Era ForKernel(int major, int minor)
    {
        if (major < 2 || minor < 0)
            throw new InvalidVmArgumentException(null, $"invalid kernel version {major}.{minor}");
        return (major, minor) switch
        {
            (< 5, _) or (5, <= 7) => Mapcount,
            (5, 8) => ForcedCowGup,
            (5, <= 10) => EarlyRefcount,
            (5, <= 18) => Refcount,
            (5, _) or (6, <= 1) => EarlyAnonExclusive,
            _ => AnonExclusive,
        };
    }

    /// <summary>Finds an era by name (case-insensitive), e.g. "AnonExclusive" or "refcount".</summary>
    /// <param name="name">The era name.</param>
    public static Era Parse(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidVmArgumentException(null, $"unknown era '{name}' (known: {string.Join(", ", All.Select(e => e.Name))})");

    /// <inheritdoc />
    public override string ToString() => Name;

    // PG_anon_exclusive (5.19+, 6c287605fd56). Earlier kernels have no such flag: the subpage bit is never set, and
    // clearing it (fork, KSM, swap-out) needs no era.

    /// <summary>PageAnonExclusive: is this anonymous page known to be exclusive to one mapping? (Per subpage; the head of a hugetlb folio.)</summary>
    internal virtual bool PageAnonExclusive(Folio folio, int index) => false;

    /// <summary>SetPageAnonExclusive, as folio_add_new_anon_rmap(RMAP_EXCLUSIVE), wp_page_reuse and do_swap_page do.</summary>
    internal virtual void SetPageAnonExclusive(Folio folio, int index)
    {
    }

    /// <summary>SetPageAnonExclusive for a whole new or reused folio: every subpage, or the head of a hugetlb folio.</summary>
    internal void SetFolioAnonExclusive(Folio folio)
    {
        var pages = folio.IsHugetlb ? 1 : folio.NrPages;
        for (var i = 0; i < pages; i++)
            SetPageAnonExclusive(folio, i);
    }

    /// <summary>
    /// The DEBUG_VM checks that came with the flag (sanity_check_pinned_pages, 8909691b6c5a; the VM_BUG_ONs of
    /// wp_page_reuse and do_swap_page): is this anonymous page — pinned, or mapped writable in a private mapping —
    /// PageAnonExclusive? Eras without the flag have nothing to check.
    /// </summary>
    internal virtual bool PassesAnonExclusiveSanityCheck(Folio folio, int index) => true;

    // mm/memory.c: the write (and unshare) fault.

    /// <summary>
    /// do_wp_page on an anonymous page mapped by a PTE that is not PageAnonExclusive: reuse it? Today's name is
    /// wp_can_reuse_anon_folio; 5.9–5.17 tested page_count inline, ≤ 5.8 called reuse_swap_page.
    /// </summary>
    internal abstract bool WpCanReuseAnonFolio(ReuseQuery query);

    /// <summary>do_huge_pmd_wp_page: reuse a PMD-mapped THP in place? (false ⇒ split the PMD, retry per PTE).</summary>
    internal abstract bool DoHugePmdWpPageCanReuse(ReuseQuery query);

    /// <summary>hugetlb_cow / hugetlb_wp: the mapcount rule in every era (the hugetlb vmsplice XFAILs of cow.c).</summary>
    internal virtual bool HugetlbWpCanReuse(ReuseQuery query) =>
        query.Folio.IsAnon && query.Folio.FolioMapCount() == 1;

    // mm/gup.c.

    /// <summary>
    /// should_force_cow_break (5.8, 17839856fd58): does GUP on this VMA take its reference as if writing? With a
    /// null <paramref name="vma"/> the question is GUP-fast's, which 5.8's get_user_pages_fast answered by walking
    /// with FOLL_WRITE, refusing every read-only PTE.
    /// </summary>
    internal virtual bool ShouldForceCowBreak(VmArea? vma, FollFlags flags) => false;

    /// <summary>gup_must_unshare: must this R/O reference first make the page exclusive (FAULT_FLAG_UNSHARE)?
    /// <paramref name="vma"/> is null in GUP-fast.</summary>
    internal virtual bool GupMustUnshare(VmArea? vma, FollFlags flags, bool pin, Folio folio, int index) => false;

    /// <summary>
    /// can_follow_write_pte for FOLL_FORCE writes into a private read-only VMA: before 5535be309971 (6.0) the R/O PTE
    /// was followed once a COW cycle had run and the PTE was dirty (FOLL_COW); the AnonExclusive era overrides this.
    /// </summary>
    internal virtual bool CanFollowWritePte(in Pte pte, bool cowCycleDone) =>
        cowCycleDone && pte.Has(PteBits.Dirty);

    // Fork (copy_present_ptes, copy_huge_pmd, copy_hugetlb_page_range).

    /// <summary>
    /// page_needs_cow_for_dma (named by 97a7e4733b9b in 5.12; the same test sat inline in copy_present_page and
    /// copy_huge_pmd from 5.9; asked from 5.19 by __folio_try_dup_anon_rmap, which fails with -EBUSY): must fork give
    /// the child its own copy of this anonymous page instead of sharing it, because the parent may have it pinned?
    /// Never asked of KSM pages.
    /// </summary>
    internal virtual bool PageNeedsCowForDma(VmProcess parent, Folio folio, int index) => false;

    // do_swap_page and reclaim.

    /// <summary>do_swap_page: is the swapped-in page exclusive (mapped writable, if the VMA allows)? Only asked for anon, non-KSM pages.</summary>
    internal abstract bool DoSwapPageExclusive(SwapInQuery query);

    /// <summary>shrink_folio_list keeps a maybe-pinned folio out of the swapcache (feb889fb40fa, 5.11).</summary>
    internal virtual bool ShrinkFolioListKeepsPinned(Folio folio) => false;

    /// <summary>try_to_unmap_one gives up on a folio pinned meanwhile (folio_try_share_anon_rmap_pte, 5.19).</summary>
    internal virtual bool TryToUnmapKeepsPinned(Folio folio) => false;

    // fs/proc/task_mmu.c and mm/mprotect.c.

    /// <summary>
    /// pte_is_pinned (clear_soft_dirty, 9348b73c2e1b, 5.11): clear_refs 4 leaves this writable entry of a COW mapping
    /// alone because its page may be pinned.
    /// </summary>
    internal virtual bool PteIsPinned(VmProcess mm, VmArea vma, in Pte pte) => false;

    /// <summary>pte_is_pinned's test: a writable entry of a COW mapping, the mm has pinned, the page may be pinned.</summary>
    private protected static bool WritableCowPteMaybePinned(VmProcess mm, VmArea vma, in Pte pte) =>
        pte.IsWrite && vma.IsCowMapping && mm.HasPinned && pte.Folio!.MaybeDmaPinned;

    /// <summary>
    /// can_change_pte_writable (6.0+) for an entry of a private mapping: may mprotect(PROT_WRITE) map it writable at
    /// once? Older kernels never did; the write fault decided.
    /// </summary>
    internal virtual bool CanChangePteWritable(VmArea vma, in Pte pte) => false;
}
