namespace CowGuard.VmModel;

/// <summary>
/// The folio's counters. In the kernel they are atomic_t (_refcount, _entire_mapcount, _pincount, page->_mapcount);
/// here they are ints changed only with <see cref="Interlocked"/>, because processes, GUP-fast and devices change them
/// under different locks or none. A fresh folio's counts are set with the Set methods before anything else can reach
/// it (set_page_count / atomic_set before the folio is published in a page table, the page cache or the swapcache).
/// </summary>
internal sealed partial class Folio
{
    private int _refCount;
    private int _entireMapCount;
    private int _pinCount;
    private int _gupGets;
    private int _gupPins;

    /// <summary>folio_ref_count.</summary>
    public int RefCount => Volatile.Read(ref _refCount);

    /// <summary>The folio's entire mapcount: PMD mappings of a THP, huge-PTE mappings of a hugetlb folio.</summary>
    public int EntireMapCount => Volatile.Read(ref _entireMapCount);

    /// <summary>folio->_pincount: exact pin count, kept for large folios only (small ones use the refcount bias).</summary>
    public int PinCount => Volatile.Read(ref _pinCount);

    /// <summary>
    /// FOLL_GET references held on the folio's pages (sum of <see cref="Subpage.Gets"/>; a small folio's one page is
    /// the sum, so only large folios keep a separate total and a small folio's grab costs one atomic add less).
    /// </summary>
    public int GupGets => IsLarge ? Volatile.Read(ref _gupGets) : Volatile.Read(ref Pages[0].Gets);

    /// <summary>FOLL_PIN pins held on the folio's pages (sum of <see cref="Subpage.Pins"/>, kept like <see cref="GupGets"/>).</summary>
    public int GupPins => IsLarge ? Volatile.Read(ref _gupPins) : Volatile.Read(ref Pages[0].Pins);

    /// <summary>folio_set_count, on a folio nobody else can reach yet.</summary>
    public void SetRefCount(int count) => Volatile.Write(ref _refCount, count);

    /// <summary>atomic_set(&amp;folio->_entire_mapcount), on a folio nobody else can reach yet.</summary>
    public void SetEntireMapCount(int count) => Volatile.Write(ref _entireMapCount, count);

    /// <summary>folio_ref_add_return (negative: folio_ref_sub_return). Returns the new count.</summary>
    public int RefAdd(int delta) => Interlocked.Add(ref _refCount, delta);

    /// <summary>
    /// folio_try_get / try_grab_folio_fast: add references unless the refcount already reached zero. A folio whose last
    /// reference is gone is being freed; GUP-fast, which holds no lock that keeps the folio mapped, must not resurrect it.
    /// </summary>
    public bool TryGet(int count)
    {
        var current = Volatile.Read(ref _refCount);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _refCount, current + count, current);
            if (seen == current)
                return true;
            current = seen;
        }

        return false;
    }

    public void AddEntireMapCount(int delta) => Interlocked.Add(ref _entireMapCount, delta);

    public void AddPinCount(int delta) => Interlocked.Add(ref _pinCount, delta);

    /// <summary>atomic_add on page->_mapcount of one subpage.</summary>
    public void AddMapCount(int index, int delta) => Interlocked.Add(ref Pages[index].MapCount, delta);

    /// <summary>The FOLL_GET ledger (per page and per folio) the invariant checker compares with the refcount.</summary>
    public void AddGets(int index, int delta)
    {
        Interlocked.Add(ref Pages[index].Gets, delta);
        if (IsLarge)
            Interlocked.Add(ref _gupGets, delta);
    }

    /// <summary>The FOLL_PIN ledger (per page and per folio).</summary>
    public void AddPins(int index, int delta)
    {
        Interlocked.Add(ref Pages[index].Pins, delta);
        if (IsLarge)
            Interlocked.Add(ref _gupPins, delta);
    }
}
