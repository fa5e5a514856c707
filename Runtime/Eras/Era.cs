namespace CowGuard.VmModel;

/// <summary>
/// A COW era: the rules the kernel applied at the few decision points that changed over time (do_wp_page reuse,
/// GUP read behaviour, fork of maybe-pinned pages, swap-in exclusivity, THP/hugetlb quirks). One small class per era;
/// the model consults the machine's era at those points and nowhere else.
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

    /// <summary>5.9–5.18: reuse only when page_count == 1 (09854ba94c6a), early COW at fork for pinned pages.</summary>
    public static Era Refcount { get; } = new RefcountEra();

    /// <summary>5.19 and later: PageAnonExclusive plus FAULT_FLAG_UNSHARE for R/O pins.</summary>
    public static Era AnonExclusive { get; } = new AnonExclusiveEra();

    /// <summary>All eras, oldest first.</summary>
    public static IReadOnlyList<Era> All { get; } = [Mapcount, ForcedCowGup, Refcount, AnonExclusive];

    /// <summary>The short name (Mapcount, ForcedCowGup, Refcount, AnonExclusive).</summary>
    public abstract string Name { get; }

    /// <summary>The kernel versions the era stands for, e.g. "5.9–5.18".</summary>
    public abstract string KernelVersions { get; }

    /// <summary>
    /// The era this one refines (a sub-range of its kernels that differs in a detail), or null: a scenario whose
    /// verdict line does not name this era takes the verdict it declares for the refined one.
    /// </summary>
    public virtual Era? Refines => null;

    /// <summary>The era whose COW rules a mainline kernel version follows.</summary>
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
            (5, <= 18) => Refcount,
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

    /// <summary>Whether PG_anon_exclusive exists (and is maintained and asserted).</summary>
    internal abstract bool TracksAnonExclusive { get; }

    /// <summary>do_wp_page on an anonymous page mapped by a PTE whose AnonExclusive bit (if any) is clear: reuse?</summary>
    internal abstract bool CanReuseAnonPte(ReuseQuery query);

    /// <summary>do_huge_pmd_wp_page: reuse a PMD-mapped THP in place? (false ⇒ split the PMD, retry per PTE).</summary>
    internal abstract bool CanReuseAnonPmd(ReuseQuery query);

    /// <summary>hugetlb_cow / hugetlb_wp: the mapcount rule in every era (the hugetlb vmsplice XFAILs of cow.c).</summary>
    internal virtual bool CanReuseHugetlb(ReuseQuery query) =>
        query.Folio.IsAnon && query.Folio.FolioMapCount() == 1;

    /// <summary>The flags slow GUP really uses for a VMA (5.8 turns reads on COW mappings into writes).</summary>
    internal virtual FollFlags EffectiveGupFlags(VmArea vma, FollFlags flags) => flags;

    /// <summary>GUP-fast walks with FOLL_WRITE added (5.8's get_user_pages_fast), refusing every R/O PTE.</summary>
    internal virtual bool GupFastRequiresWritablePte => false;

    /// <summary>gup_must_unshare: must this R/O reference first make the page exclusive (FAULT_FLAG_UNSHARE)?
    /// <paramref name="vma"/> is null in GUP-fast.</summary>
    internal virtual bool GupMustUnshare(VmArea? vma, FollFlags flags, bool pin, Folio folio, int index) => false;

    /// <summary>
    /// can_follow_write_pte for FOLL_FORCE writes into a private read-only VMA: before 5535be309971 (6.0) the R/O PTE
    /// was followed once a COW cycle had run and the PTE was dirty (FOLL_COW); the AnonExclusive era overrides this.
    /// </summary>
    internal virtual bool CanFollowForcedWriteOnReadOnlyPte(in Pte pte, bool cowCycleDone) =>
        cowCycleDone && pte.Has(PteBits.Dirty);

    /// <summary>copy_present_pte: does the child get its own copy of this anonymous page instead of sharing it?</summary>
    internal abstract bool ForkCopiesForChild(VmProcess parent, Folio folio);

    /// <summary>do_swap_page: is the swapped-in page exclusive (mappable writable)? Only asked for anon, non-KSM pages.</summary>
    internal abstract bool SwapInExclusive(SwapInQuery query);

    /// <summary>Whether do_swap_page maps an exclusive page writable on a read fault too (5.19+), or only on write faults.</summary>
    internal virtual bool SwapInMapsWritableOnReadFault => false;

    /// <summary>Reclaim skips maybe-pinned folios (feb889fb40fa in 5.11; folio_try_share_anon_rmap in 5.19+).</summary>
    internal virtual bool PageOutSkipsMaybePinned => false;

    /// <summary>clear_refs soft-dirty leaves maybe-pinned pages writable (9348b73c2e1b, 5.11–5.18).</summary>
    internal virtual bool ClearRefsSkipsMaybePinned => false;

    /// <summary>mprotect(PROT_WRITE) may map an exclusive private anon page writable at once (can_change_pte_writable, 6.0+).</summary>
    internal virtual bool MprotectMapsExclusiveAnonWritable => false;
}
