using System.Runtime.InteropServices;

namespace CowGuard.VmModel;

/// <summary>
/// A folio: 2^order contiguous base pages with one refcount, one pincount (large folios) and one entire (PMD / huge
/// PTE) mapcount, plus per-subpage mapcount, AnonExclusive and contents (<see cref="Subpage"/>). The counts are atomic
/// (Folio.Counts.cs), the folio lock is PG_locked (Folio.Lock.cs), the bytes have their own lock (Folio.Contents.cs).
/// </summary>
internal sealed partial class Folio
{
    /// <summary>GUP_PIN_COUNTING_BIAS (include/linux/mm.h): a FOLL_PIN on a small folio adds this to the refcount.</summary>
    public const int GupPinCountingBias = 1 << 10;

    private readonly LockOrderChecker? _lockdep;
    private readonly PageFrames _frames;
    private readonly Subpage[]? _largePages;
    private Subpage _page;

    public Folio(long pfn, int order, FolioKind kind, bool hugetlb, PageFrames frames, LockOrderChecker? lockdep)
    {
        Pfn = pfn;
        Order = order;
        Kind = kind;
        IsHugetlb = hugetlb;
        if (order > 0)
            _largePages = new Subpage[1 << order];
        _frames = frames;
        _lockdep = lockdep;
    }

    public long Pfn { get; }

    public int Order { get; }

    public FolioKind Kind { get; set; }

    public bool IsHugetlb { get; }

    /// <summary>
    /// The subpages (struct pages). A small folio keeps its one page inside the folio object, so a user access reaches
    /// the page's contents without a second object (one cache miss less) and the folio costs one allocation.
    /// </summary>
    public Span<Subpage> Pages => _largePages is { } pages ? pages : MemoryMarshal.CreateSpan(ref _page, 1);

    public int NrPages => 1 << Order;

    public bool IsLarge => Order > 0;

    public bool IsAnon => Kind == FolioKind.Anon;

    /// <summary>The zero page and the huge zero page: never refcounted, never freed, never written.</summary>
    public bool IsZero => Kind is FolioKind.ZeroPage or FolioKind.HugeZeroPage;

    /// <summary>PageKsm: a KSM stable page (anon, never AnonExclusive).</summary>
    public bool IsKsm { get; set; }

    /// <summary>folio_test_swapcache: the folio has swap slots and the swapcache holds one reference per page.</summary>
    public bool InSwapCache { get; set; }

    /// <summary>folio_test_lru: false while the folio sits in a per-CPU lru_add batch (which holds one reference).</summary>
    public bool OnLru { get; set; } = true;

    /// <summary>Dirty (set by writes through PTEs and by unpin_user_pages_dirty_lock).</summary>
    public bool Dirty { get; set; }

    /// <summary>Freed back to the allocator; any later access is a model bug caught by the invariants.</summary>
    public bool Freed { get; set; }

    /// <summary>The folio's slot in the allocator's <see cref="LiveFolioTable"/> (-1 when not live; zone lock).</summary>
    public int LiveSlot { get; set; } = -1;

    /// <summary>folio->index: for anon the linear page index (vma->vm_pgoff based), for file folios the file page offset.</summary>
    public long Index { get; set; }

    /// <summary>The file whose page cache holds this folio.</summary>
    public MemFile? File { get; set; }

    /// <summary>page_mapcount(): PTE mappings of the page plus the folio's entire mappings.</summary>
    public int PageMapCount(int index) => Pages[index].MapCount + EntireMapCount;

    /// <summary>folio_mapcount() / large mapcount: every PTE and every PMD mapping counts once.</summary>
    public int FolioMapCount()
    {
        var total = EntireMapCount;
        foreach (ref readonly var page in Pages)
            total += page.MapCount;
        return total;
    }

    /// <summary>folio_maybe_dma_pinned: exact for large folios, fuzzy (refcount ≥ bias) for small ones.</summary>
    public bool MaybeDmaPinned => IsLarge ? PinCount > 0 : RefCount >= GupPinCountingBias;

    /// <summary>The number of pins the device holds, for display: exact for large, refcount / bias for small.</summary>
    public int DisplayPinCount => IsLarge ? PinCount : RefCount / GupPinCountingBias;

    public PageState StateOf(int index) => new(
        Pfn + index, RefCount, PageMapCount(index), DisplayPinCount, Pages[index].AnonExclusive, IsKsm, InSwapCache,
        Kind);
}
