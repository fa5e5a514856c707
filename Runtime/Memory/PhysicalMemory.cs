namespace CowGuard.VmModel;

/// <summary>
/// The page allocator and the per-folio reference bookkeeping shared by every process of a machine: anonymous and
/// page-cache folios, the zero pages, the hugetlb pools, the swapcache and the per-CPU lru_add batch.
/// </summary>
internal sealed class PhysicalMemory
{
    private readonly Machine _machine;
    private readonly List<Folio> _lruAddBatch = [];
    private readonly HashSet<Folio> _live = new(ReferenceEqualityComparer.Instance);
    private long _nextPfn = 0x1000;

    public PhysicalMemory(Machine machine, MachineOptions options)
    {
        _machine = machine;
        ZeroPage = new Folio(NextPfn(0), 0, FolioKind.ZeroPage, hugetlb: false);
        HugeZeroPage = new Folio(NextPfn(PageGeometry.PmdOrder), PageGeometry.PmdOrder, FolioKind.HugeZeroPage, hugetlb: false);
        Pool2M = new HugetlbPool(PageGeometry.PmdOrder, options.HugetlbPages2M);
        Pool1G = new HugetlbPool(PageGeometry.PudOrder, options.HugetlbPages1G);
        Swap = new SwapDevice(options.SwapPages);
        LruAddBatchSize = options.LruAddBatchSize;
    }

    public Folio ZeroPage { get; }

    public Folio HugeZeroPage { get; }

    public HugetlbPool Pool2M { get; }

    public HugetlbPool Pool1G { get; }

    public SwapDevice Swap { get; }

    public int LruAddBatchSize { get; }

    /// <summary>Folios allocated and not yet freed (never includes the zero pages).</summary>
    public IReadOnlyCollection<Folio> LiveFolios => _live;

    public IReadOnlyList<Folio> LruAddBatch => _lruAddBatch;

    public HugetlbPool PoolFor(int order) => order == PageGeometry.PudOrder ? Pool1G : Pool2M;

    /// <summary>folio_alloc: a new folio with refcount 0; the caller adds the references of what will hold it.</summary>
    public Folio Allocate(int order, FolioKind kind, long index)
    {
        var folio = new Folio(NextPfn(order), order, kind, hugetlb: false) { Index = index };
        _live.Add(folio);
        return folio;
    }

    /// <summary>alloc_hugetlb_folio: null when the pool has no page for this caller (the fault then SIGBUSes).</summary>
    public Folio? AllocateHugetlb(int order, bool useReservation, long index)
    {
        var pool = PoolFor(order);
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
        var folio = new Folio(NextPfn(order), order, FolioKind.Anon, hugetlb: true) { Index = index, OnLru = true };
        _live.Add(folio);
        return folio;
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
        folio.RefCount++;
        _lruAddBatch.Add(folio);
        if (_lruAddBatch.Count >= LruAddBatchSize)
            LruAddDrain();
    }

    /// <summary>lru_add_drain: move the batched folios to the LRU and drop the batch's references.</summary>
    public void LruAddDrain()
    {
        if (_lruAddBatch.Count == 0)
            return;
        var batch = _lruAddBatch.ToArray();
        _lruAddBatch.Clear();
        foreach (var folio in batch)
        {
            folio.OnLru = true;
            Put(folio, 1, "", 0);
        }
    }

    public static void Get(Folio folio, int count = 1)
    {
        if (folio.IsZero)
            return;
        if (folio.Freed)
            throw new InvariantViolationException($"reference taken on freed folio pfn {folio.Pfn}");
        folio.RefCount += count;
    }

    /// <summary>folio_put: drops references and frees the folio when the last one goes.</summary>
    public void Put(Folio folio, int count, string process, ulong address)
    {
        if (folio.IsZero)
            return;
        if (folio.Freed || folio.RefCount < count)
            throw new InvariantViolationException($"refcount underflow on pfn {folio.Pfn} ({folio.RefCount} - {count})");
        folio.RefCount -= count;
        if (folio.RefCount == 0)
            Free(folio, process, address);
    }

    private void Free(Folio folio, string process, ulong address)
    {
        if (folio.FolioMapCount() != 0 || folio.InSwapCache)
            throw new InvariantViolationException($"folio pfn {folio.Pfn} freed while mapped or in the swapcache");
        var before = folio.StateOf(0);
        folio.Freed = true;
        _live.Remove(folio);
        if (folio.IsHugetlb)
            PoolFor(folio.Order).Free++;
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
