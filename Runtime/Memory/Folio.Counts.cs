using System.Runtime.CompilerServices;

namespace CowGuard.VmModel;

/// <summary>
/// The folio's counters. In the kernel they are atomic_t (_refcount, _entire_mapcount, _pincount, page->_mapcount);
/// here they are changed only with <see cref="Interlocked"/>, because processes, GUP-fast and devices change them
/// under different locks or none. A fresh folio's counts are set with the Set methods before anything else can reach
/// it (set_page_count / atomic_set before the folio is published in a page table, the page cache or the swapcache).
/// <para>
/// The refcount shares one 64-bit word with the model's pin ledger (the pins held on the folio, which the kernel does
/// not count for small folios): word = pins × 2^32 + refcount, refcount a signed 32-bit value. A pin or unpin changes
/// both in the one atomic the kernel spends on the refcount, so the ledger costs nothing on the pin path, and a put
/// that frees the folio sees the pins held at that instant in the same read (a freed-while-pinned folio is caught
/// exactly when it is freed, <see cref="PhysicalMemory"/>).
/// </para>
/// </summary>
internal sealed partial class Folio
{
    private const long OnePin = 1L << 32;

    private long _refsAndPins;
    private int _entireMapCount;
    private int _pinCount;
    private int _gupGets;

    /// <summary>folio_ref_count.</summary>
    public int RefCount => (int)Volatile.Read(ref _refsAndPins);

    /// <summary>The folio's entire mapcount: PMD mappings of a THP, huge-PTE mappings of a hugetlb folio.</summary>
    public int EntireMapCount => Volatile.Read(ref _entireMapCount);

    /// <summary>folio->_pincount: exact pin count, kept for large folios only (small ones use the refcount bias).</summary>
    public int PinCount => Volatile.Read(ref _pinCount);

    /// <summary>
    /// FOLL_GET references held on the folio's pages (sum of <see cref="Subpage.Gets"/>; a small folio's one page is
    /// the sum, so only large folios keep a separate total and a small folio's grab costs one atomic add less).
    /// </summary>
    public int GupGets => IsLarge ? Volatile.Read(ref _gupGets) : Volatile.Read(ref Pages[0].Gets);

    /// <summary>FOLL_PIN pins held on the folio's pages: the ledger half of the refcount word.</summary>
    public int GupPins => PinsOf(Volatile.Read(ref _refsAndPins));

    /// <summary>
    /// FOLL_PIN pins held on one page: a small folio's one page holds all of the folio's pins; a large folio's pages
    /// keep their own ledger (<see cref="Subpage.Pins"/>, summing to <see cref="GupPins"/>).
    /// </summary>
    public int PagePins(int index) => IsLarge ? Volatile.Read(ref Pages[index].Pins) : GupPins;

    /// <summary>folio_set_count, on a folio nobody else can reach yet (so no pin is held on it either).</summary>
    public void SetRefCount(int count) => Volatile.Write(ref _refsAndPins, count);

    /// <summary>atomic_set(&amp;folio->_entire_mapcount), on a folio nobody else can reach yet.</summary>
    public void SetEntireMapCount(int count) => Volatile.Write(ref _entireMapCount, count);

    /// <summary>folio_ref_add_return (negative: folio_ref_sub_return). Returns the new count.</summary>
    public int RefAdd(int delta) => (int)Interlocked.Add(ref _refsAndPins, delta);

    /// <summary>folio_put_refs: drops references; returns the refcount and the pins left, read in the same atomic.</summary>
    public (int RefCount, int Pins) Put(int refs) => Split(Interlocked.Add(ref _refsAndPins, -refs));

    /// <summary>
    /// folio_try_get / try_grab_folio_fast: add references unless the refcount already reached zero. A folio whose last
    /// reference is gone is being freed; GUP-fast, which holds no lock that keeps the folio mapped, must not resurrect it.
    /// </summary>
    public bool TryGet(int count) => TryAdd(count);

    /// <summary>
    /// try_grab_folio for FOLL_PIN: <paramref name="refs"/> references (GUP_PIN_COUNTING_BIAS on a small folio, one on a
    /// large one) and one pin in the ledger, with <see cref="TryGet"/>'s refusal of a folio being freed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPin(int refs) => TryAdd(OnePin + refs);

    /// <summary>gup_put_folio for FOLL_PIN: drops the references and the pin; returns the refcount and pins left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int RefCount, int Pins) Unpin(int refs)
    {
        return Split(Interlocked.Add(ref _refsAndPins, -(OnePin + refs)));
    }

    public void AddEntireMapCount(int delta) => Interlocked.Add(ref _entireMapCount, delta);

    public void AddPinCount(int delta) => Interlocked.Add(ref _pinCount, delta);

    /// <summary>atomic_add on page->_mapcount of one subpage.</summary>
    public void AddMapCount(int index, int delta) => Interlocked.Add(ref Pages[index].MapCount, delta);

    /// <summary>
    /// What fork takes for one PTE-mapped page it shares (copy_present_ptes): __folio_try_dup_anon_rmap once it decided
    /// not to copy — the page is now shared, so PageAnonExclusive is cleared, and page->_mapcount gets +1 — then
    /// folio_get. The page is found once for both.
    /// </summary>
    public void DupAnonRmapPte(int index)
    {
        ref var page = ref Pages[index];
        page.AnonExclusive = false;
        Interlocked.Increment(ref page.MapCount);
        PhysicalMemory.Get(this);
    }

    /// <summary>The FOLL_GET ledger (per page and per folio) the invariant checker compares with the refcount.</summary>
    public void AddGets(int index, int delta)
    {
        Interlocked.Add(ref Pages[index].Gets, delta);
        if (IsLarge)
            Interlocked.Add(ref _gupGets, delta);
    }

    /// <summary>A large folio's per-page pin ledger (the folio's total is in the refcount word).</summary>
    public void AddPagePins(int index, int delta) => Interlocked.Add(ref Pages[index].Pins, delta);

    /// <summary>The pins of a refcount word: its value less the refcount (the signed low half), over 2^32.</summary>
    private static int PinsOf(long word) => (int)((word - (int)word) >> 32);

    private static (int RefCount, int Pins) Split(long word) => ((int)word, PinsOf(word));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAdd(long delta)
    {
        var current = Volatile.Read(ref _refsAndPins);
        while ((int)current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _refsAndPins, current + delta, current);
            if (seen == current)
                return true;
            current = seen;
        }

        return false;
    }
}
