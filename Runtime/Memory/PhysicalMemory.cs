using System.Runtime.CompilerServices;

namespace CowGuard.VmModel;

/// <summary>
/// The page allocator and the per-folio reference bookkeeping shared by every process of a machine: anonymous and
/// page-cache folios, the zero pages, the hugetlb pools, the swapcache and the lru_add batch. The allocator's state is
/// under the zone lock, the pools under hugetlb_lock, the batch under the lru lock; none of them is held while another
/// lock is taken, and references are dropped (possibly freeing folios) only after the lru lock is released.
/// </summary>
internal sealed class PhysicalMemory
{
    private readonly Machine _machine;
    private readonly List<Folio> _lruAddBatch = [];
    private readonly LiveFolioTable _live = new();
    private readonly ModelLock _zoneLock;
    private readonly ModelLock _lruLock;
    private readonly ModelLock _hugetlbLock;
    private long _nextPfn = 0x1000;

    public PhysicalMemory(Machine machine, MachineOptions options)
    {
        _machine = machine;
        _zoneLock = new ModelLock(LockClass.ZoneLock, machine.Lockdep);
        _lruLock = new ModelLock(LockClass.LruLock, machine.Lockdep);
        _hugetlbLock = new ModelLock(LockClass.HugetlbLock, machine.Lockdep);
        Frames = new PageFrames(machine.Lockdep);
        ZeroPage = new Folio(NextPfn(0), 0, FolioKind.ZeroPage, hugetlb: false, Frames, machine.Lockdep);
        HugeZeroPage = new Folio(NextPfn(PageGeometry.PmdOrder), PageGeometry.PmdOrder, FolioKind.HugeZeroPage, hugetlb: false, Frames, machine.Lockdep);
        Pool2M = new HugetlbPool(PageGeometry.PmdOrder, options.HugetlbPages2M);
        Pool1G = new HugetlbPool(PageGeometry.PudOrder, options.HugetlbPages1G);
        Swap = new SwapDevice(options.SwapPages, Frames, machine.Lockdep);
        LruAddBatchSize = options.LruAddBatchSize;
    }

    public Folio ZeroPage { get; }

    public Folio HugeZeroPage { get; }

    public HugetlbPool Pool2M { get; }

    public HugetlbPool Pool1G { get; }

    public SwapDevice Swap { get; }

    /// <summary>The frames behind non-uniform page contents (of folios and of swap slots).</summary>
    public PageFrames Frames { get; }

    public int LruAddBatchSize { get; }

    /// <summary>Folios allocated and not yet freed (never includes the zero pages). Only for a quiescent machine.</summary>
    public IEnumerable<Folio> LiveFolios => _live.Enumerate();

    /// <summary>The folios waiting in the lru_add batch. Only for a quiescent machine.</summary>
    public IReadOnlyList<Folio> LruAddBatch => _lruAddBatch;

    public int LiveFolioCount
    {
        get
        {
            using (_zoneLock.Lock())
                return _live.Count;
        }
    }

    /// <summary>Whether the folio is allocated and not yet freed. Only for a quiescent machine.</summary>
    public bool IsLive(Folio folio) => _live.Contains(folio);

    public HugetlbPool PoolFor(int order) => order == PageGeometry.PudOrder ? Pool1G : Pool2M;

    /// <summary>folio_alloc: a new folio with refcount 0; the caller adds the references of what will hold it.</summary>
    public Folio Allocate(int order, FolioKind kind, long index)
    {
        using (_zoneLock.Lock())
        {
            var folio = new Folio(NextPfn(order), order, kind, hugetlb: false, Frames, _machine.Lockdep) { Index = index };
            _live.Add(folio);
            return folio;
        }
    }

    /// <summary>alloc_hugetlb_folio: null when the pool has no page for this caller (the fault then SIGBUSes).</summary>
    public Folio? AllocateHugetlb(int order, bool useReservation, long index)
    {
        var pool = PoolFor(order);
        using (_hugetlbLock.Lock())
        {
            if (useReservation)
            {
                if (pool.Reserved == 0)
                    throw new InvariantViolationException("hugetlb fault consumed a reservation that does not exist");
                pool.Reserved--;
            }
            else if (pool.Available <= 0)
            {
                return null;
            }

            pool.Free--;
        }

        using (_zoneLock.Lock())
        {
            var folio = new Folio(NextPfn(order), order, FolioKind.Anon, hugetlb: true, Frames, _machine.Lockdep) { Index = index, OnLru = true };
            _live.Add(folio);
            return folio;
        }
    }

    /// <summary>hugetlb_reserve_pages: promise <paramref name="pages"/> free huge pages, or refuse (false).</summary>
    public bool TryReserveHugetlb(int order, int pages)
    {
        var pool = PoolFor(order);
        using (_hugetlbLock.Lock())
        {
            if (pool.Available < pages)
                return false;
            pool.Reserved += pages;
            return true;
        }
    }

    /// <summary>hugetlb_unreserve_pages: give back reservations nobody will consume.</summary>
    public void UnreserveHugetlb(int order, int pages)
    {
        if (pages == 0)
            return;
        var pool = PoolFor(order);
        using (_hugetlbLock.Lock())
            pool.Reserved -= pages;
    }

    /// <summary>folio_add_lru: a fresh small folio waits in the lru_add batch, which holds a reference until drained.</summary>
    public void AddToLru(Folio folio)
    {
        if (folio.IsLarge || folio.IsHugetlb || LruAddBatchSize == 0)
        {
            folio.OnLru = true;
            return;
        }

        folio.OnLru = false;
        folio.RefAdd(1);
        Folio[]? full = null;
        using (_lruLock.Lock())
        {
            _lruAddBatch.Add(folio);
            if (_lruAddBatch.Count >= LruAddBatchSize)
                full = TakeBatch();
        }

        if (full is not null)
            MoveToLru(full);
    }

    /// <summary>lru_add_drain: move the batched folios to the LRU and drop the batch's references.</summary>
    public void LruAddDrain()
    {
        Folio[]? batch;
        using (_lruLock.Lock())
            batch = _lruAddBatch.Count == 0 ? null : TakeBatch();
        if (batch is not null)
            MoveToLru(batch);
    }

    /// <summary>
    /// folio_get on a folio the caller keeps alive (it maps it under the PTL, holds a reference, or just allocated it).
    /// GUP-fast, which keeps nothing alive, uses <see cref="Folio.TryGet"/> instead.
    /// </summary>
    public static void Get(Folio folio, int count = 1)
    {
        if (folio.IsZero)
            return;
        if (folio.Freed)
            throw new InvariantViolationException($"reference taken on freed folio pfn {folio.Pfn}");
        folio.RefAdd(count);
    }

    /// <summary>folio_put: drops references and frees the folio when the last one goes.</summary>
    public void Put(Folio folio, int count, string process, ulong address)
    {
        if (folio.IsZero)
            return;
        // Only the decrement itself can tell an underflow: once it is done another thread may legitimately drop the
        // last reference and free the folio, so Freed must not be looked at afterwards. A put on a freed folio
        // underflows here too, because nothing can take a reference on a folio whose refcount reached zero.
        var (after, pins) = folio.Put(count);
        if (after <= 0)
            LastReferenceDropped(folio, after, count, pins, process, address);
    }

    /// <summary>
    /// gup_put_folio for FOLL_PIN: drops the pin's references (GUP_PIN_COUNTING_BIAS on a small folio, one on a large
    /// one) and its entry in the pin ledger in one atomic, freeing the folio when the last reference goes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unpin(Folio folio, string process, ulong address)
    {
        var refs = folio.IsLarge ? 1 : Folio.GupPinCountingBias;
        var (after, pins) = folio.Unpin(refs);
        if (after <= 0)
            LastReferenceDropped(folio, after, refs, pins, process, address);
    }

    /// <summary>The folio_put of a fresh folio that lost the race to install it ("someone else handled it").</summary>
    public void Discard(Folio folio, string process, ulong address)
    {
        if (folio.RefCount != 0)
            throw new InvariantViolationException($"discarding folio pfn {folio.Pfn} that holds references");
        if (folio.IsHugetlb)
            throw new InvariantViolationException("hugetlb folios are never discarded after a lost race");
        Free(folio, folio.GupPins, process, address);
    }

    /// <summary>The end of a put that left <paramref name="after"/> ≤ 0 references: an underflow, or the free.</summary>
    private void LastReferenceDropped(Folio folio, int after, int refs, int pins, string process, ulong address)
    {
        if (after < 0)
            throw new InvariantViolationException($"refcount underflow on pfn {folio.Pfn} ({after + refs} - {refs})");
        Free(folio, pins, process, address);
    }

    private Folio[] TakeBatch()
    {
        var batch = _lruAddBatch.ToArray();
        _lruAddBatch.Clear();
        return batch;
    }

    private void MoveToLru(Folio[] batch)
    {
        foreach (var folio in batch)
        {
            folio.OnLru = true;
            Put(folio, 1, "", 0);
        }
    }

    /// <summary>Frees a folio whose refcount reached 0; <paramref name="pins"/> is the pin ledger read with that 0.</summary>
    private void Free(Folio folio, int pins, string process, ulong address)
    {
        if (folio.FolioMapCount() != 0 || folio.InSwapCache)
            throw new InvariantViolationException($"folio pfn {folio.Pfn} freed while mapped or in the swapcache");
        if (folio.GupGets != 0 || pins != 0)
            throw new InvariantViolationException($"folio pfn {folio.Pfn} freed while {folio.GupGets} GUP references and {pins} pins are held on it");
        var before = folio.StateOf(0);
        folio.Freed = true;
        folio.ReleaseFrames();
        using (_zoneLock.Lock())
            _live.Remove(folio);
        if (folio.IsHugetlb)
        {
            using (_hugetlbLock.Lock())
                PoolFor(folio.Order).Free++;
        }

        _machine.Events.Record(VmEventKind.Free, process, address, before, null, $"order {folio.Order}");
    }

    private long NextPfn(int order)
    {
        var size = 1L << order;
        _nextPfn = (_nextPfn + size - 1) & ~(size - 1);
        var pfn = _nextPfn;
        _nextPfn += size;
        return pfn;
    }
}
