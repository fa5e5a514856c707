namespace CowGuard.VmModel;

/// <summary>
/// The model's VM_BUG_ONs, checked over the whole machine: every reference on a folio is accounted for (mappings,
/// swapcache, lru_add batch, page cache, GUP references and pins), mapcounts match the page tables, no freed page is
/// reachable, no writable private entry maps a page mapped elsewhere, and — in eras with PageAnonExclusive — writable
/// anonymous entries and pinned anonymous pages are exclusive and KSM pages never are. It runs under the stop_machine
/// barrier, so it also checks what must hold between operations: no folio is locked, no fork is halfway through
/// (write_protect_seq even) and every mm's published page tables are its VMAs' current ones.
/// </summary>
internal sealed class InvariantChecker(Machine machine)
{
    private readonly Dictionary<Folio, Observed> _observed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, int> _swapReferences = [];

    public void Check()
    {
        foreach (var process in machine.ProcessList)
        {
            CheckQuiescent(process);
            foreach (var vma in process.Areas)
                WalkPageTable(process, vma);
        }

        foreach (var folio in machine.Memory.LruAddBatch)
            Observe(folio).LruBatch++;
        var hugetlbInUse = new Dictionary<int, int>();
        foreach (var folio in machine.Memory.LiveFolios)
        {
            CheckFolio(folio);
            if (folio.IsHugetlb)
                hugetlbInUse[folio.Order] = hugetlbInUse.GetValueOrDefault(folio.Order) + 1;
        }

        foreach (var folio in _observed.Keys)
        {
            if (!folio.IsZero && (folio.Freed || !machine.Memory.IsLive(folio)))
                Fail($"freed or unknown folio pfn {folio.Pfn} is still reachable");
        }

        CheckSwap();
        CheckFrames();
        CheckHugetlbPool(machine.Memory.Pool2M, hugetlbInUse.GetValueOrDefault(machine.Memory.Pool2M.Order));
        CheckHugetlbPool(machine.Memory.Pool1G, hugetlbInUse.GetValueOrDefault(machine.Memory.Pool1G.Order));
    }

    private static void CheckQuiescent(VmProcess process)
    {
        if ((process.WriteProtectSeq & 1) != 0)
            Fail($"{process.Name}: write_protect_seq is odd outside fork");
        var published = process.PublishedPageTables;
        var areas = process.Areas;
        if (published.Length != areas.Count)
            Fail($"{process.Name}: {published.Length} published page tables for {areas.Count} VMAs");
        for (var i = 0; i < areas.Count; i++)
        {
            if (published[i].Start != areas[i].Start || published[i].End != areas[i].End || published[i].Entries != areas[i].Ptes)
                Fail($"{process.Name}: published page table {i} is not VMA 0x{areas[i].Start:x}'s");
        }
    }

    private void WalkPageTable(VmProcess process, VmArea vma)
    {
        if (vma.PageCount != (int)((vma.End - vma.Start) >> PageGeometry.PageShift))
            Fail($"{process.Name}: VMA 0x{vma.Start:x} page table has the wrong size");
        for (var i = 0; i < vma.PageCount; i++)
        {
            var pte = vma.Ptes[i];
            if (pte.IsNone)
                continue;
            var where = new Where(process, vma, i);
            if (pte.IsSwap)
            {
                if (!machine.Memory.Swap.IsAllocated(pte.SwapSlot))
                    Fail($"{where}: swap entry points to a free slot {pte.SwapSlot}");
                _swapReferences[pte.SwapSlot] = _swapReferences.GetValueOrDefault(pte.SwapSlot) + 1;
                continue;
            }

            var folio = pte.Folio!;
            if (folio.IsZero)
            {
                if (pte.IsWrite)
                    Fail($"{where}: the zero page is mapped writable");
                if (pte.IsHuge)
                    i += SkipHuge(vma, i, where);
                continue;
            }

            var observed = Observe(folio);
            if (pte.IsHuge)
            {
                observed.Entire++;
                observed.MappingRefs++;
                CheckEntry(vma, pte, folio, where);
                i += SkipHuge(vma, i, where);
                continue;
            }

            observed.PteMaps[pte.Index]++;
            observed.MappingRefs++;
            CheckEntry(vma, pte, folio, where);
        }
    }

    private int SkipHuge(VmArea vma, int i, Where where)
    {
        var pte = vma.Ptes[i];
        if (pte.Index != 0)
            Fail($"{where}: huge mapping does not start at its head page");
        var count = pte.Folio!.NrPages;
        if (i + count > vma.PageCount)
            Fail($"{where}: huge mapping runs past its VMA");
        // Every entry of a PMD mapping is compared; a 1 GiB mapping is compared every 512 entries and at its end,
        // which keeps a per-operation check of a gigantic page cheap while still catching a split gone wrong.
        var stride = count > 1 << PageGeometry.PmdOrder ? 1 << PageGeometry.PmdOrder : 1;
        for (var k = stride; k < count + stride - 1; k += stride)
        {
            k = Math.Min(k, count - 1);
            var tail = vma.Ptes[i + k];
            if (tail.Folio != pte.Folio || tail.Index != k || tail.Bits != pte.Bits)
                Fail($"{where}: huge mapping entry {k} is inconsistent");
        }

        return count - 1;
    }

    private void CheckEntry(VmArea vma, in Pte pte, Folio folio, Where where)
    {
        if (!pte.IsWrite)
            return;
        if (folio.IsKsm)
            Fail($"{where}: KSM page mapped writable");
        if (!vma.IsShared)
        {
            if (!folio.IsAnon)
                Fail($"{where}: page-cache page mapped writable in a private mapping");
            if (folio.IsHugetlb ? folio.EntireMapCount != 1 : folio.PageMapCount(pte.Index) != 1)
                Fail($"{where}: writable private entry maps a page that is mapped {folio.PageMapCount(pte.Index)} times");
            if (!machine.Era.PassesAnonExclusiveSanityCheck(folio, pte.Index))
                Fail($"{where}: writable anonymous entry without PageAnonExclusive");
        }
    }

    private void CheckFolio(Folio folio)
    {
        var observed = _observed.GetValueOrDefault(folio) ?? new Observed(folio.NrPages);
        var where = new Where(folio);
        var gets = folio.GupGets;
        var pins = folio.GupPins;
        if (gets < 0 || pins < 0)
            Fail($"{where}: negative reference ledger");
        if (folio.IsHugetlb)
        {
            // Hugetlb folios are only ever mapped whole (entire mapcount) and PageAnonExclusive lives on the head, so
            // the per-subpage pass is skipped: it would make every check of a 1 GiB folio walk 262144 subpages.
            if (pins > 0 && folio.IsAnon && !machine.Era.PassesAnonExclusiveSanityCheck(folio, 0))
                Fail($"{where}: pinned anonymous hugetlb folio is not PageAnonExclusive");
        }
        else
        {
            CheckSubpages(folio, observed, where);
        }

        CheckCounts(folio, observed, where, gets, pins);
    }

    private void CheckSubpages(Folio folio, Observed observed, Where where)
    {
        var gets = 0;
        var pins = 0;
        for (var i = 0; i < folio.NrPages; i++)
        {
            ref readonly var page = ref folio.Pages[i];
            if (page.MapCount != observed.PteMaps[i])
                Fail($"{where}: subpage {i} mapcount {page.MapCount}, page tables say {observed.PteMaps[i]}");
            var pagePins = folio.PagePins(i);
            if (page.Gets < 0 || pagePins < 0)
                Fail($"{where}: negative reference ledger on subpage {i}");
            gets += page.Gets;
            pins += pagePins;
            if (pagePins > 0 && folio.IsAnon && !machine.Era.PassesAnonExclusiveSanityCheck(folio, i))
                Fail($"{where}: pinned anonymous subpage {i} is not PageAnonExclusive");
            if (folio.IsKsm && page.AnonExclusive)
                Fail($"{where}: KSM page marked PageAnonExclusive");
            if (!folio.InSwapCache && page.SwapSlot != 0)
                Fail($"{where}: subpage {i} has a swap slot outside the swapcache");
        }

        if (gets != folio.GupGets || pins != folio.GupPins)
            Fail($"{where}: per-page reference ledger ({gets} gets, {pins} pins) disagrees with the folio's ({folio.GupGets}, {folio.GupPins})");
    }

    private void CheckCounts(Folio folio, Observed observed, Where where, int gets, int pins)
    {
        if (folio.EntireMapCount != observed.Entire)
            Fail($"{where}: entire mapcount {folio.EntireMapCount}, page tables say {observed.Entire}");
        if (folio.IsLarge ? folio.PinCount != pins : folio.PinCount != 0)
            Fail($"{where}: pincount {folio.PinCount} but {pins} pins are held");
        var expected = observed.MappingRefs + observed.LruBatch + gets
                       + (folio.IsLarge ? pins : pins * Folio.GupPinCountingBias)
                       + (folio.InSwapCache ? folio.NrPages : 0) + (folio.File is not null ? 1 : 0);
        if (folio.RefCount != expected)
            Fail($"{where}: refcount {folio.RefCount}, accounted references {expected}");
        if (folio.RefCount == 0)
            Fail($"{where}: live folio without references (leak)");
        if (folio.IsLocked)
            Fail($"{where}: folio lock held between operations");
    }

    private void CheckSwap()
    {
        foreach (var (id, slot) in machine.Memory.Swap.AllocatedSlots())
        {
            if (slot.SwapCount != _swapReferences.GetValueOrDefault(id))
                Fail($"swap slot {id}: swap count {slot.SwapCount}, swap entries {_swapReferences.GetValueOrDefault(id)}");
            if (slot.CachedFolio is { } cached && (!cached.InSwapCache || cached.Pages[slot.CachedIndex].SwapSlot != id))
                Fail($"swap slot {id}: swapcache folio pfn {cached.Pfn} does not point back");
            if (slot.CachedFolio is null && slot.SwapCount == 0)
                Fail($"swap slot {id} is allocated but unused");
        }
    }

    /// <summary>
    /// Every page frame and patch the pool handed out has exactly one owner — a page of a live folio or a swap slot's
    /// written-back copy — so no two pages share bytes and none leaked, and no page has both. The subpages of 1 GiB
    /// folios are not walked (CheckFolio), so while one is live only the "one owner" half is checked.
    /// </summary>
    private void CheckFrames()
    {
        var frames = new HashSet<int>();
        var patches = new HashSet<int>();
        var complete = true;
        foreach (var folio in machine.Memory.LiveFolios)
        {
            if (folio.Order == PageGeometry.PudOrder)
            {
                complete = false;
                continue;
            }

            foreach (ref readonly var page in folio.Pages)
            {
                if (StorageError(page, frames, patches) is { } error)
                    Fail($"{new Where(folio)}: {error}");
            }
        }

        foreach (var (id, slot) in machine.Memory.Swap.AllocatedSlots())
        {
            if (StorageError(slot.Contents, frames, patches) is { } error)
                Fail($"swap slot {id}: {error}");
        }

        if (complete && frames.Count != machine.Memory.Frames.InUse)
            Fail($"{machine.Memory.Frames.InUse} page frames in use but {frames.Count} owned: a frame leaked");
        if (complete && patches.Count != machine.Memory.Frames.PatchesInUse)
            Fail($"{machine.Memory.Frames.PatchesInUse} page patches in use but {patches.Count} owned: a patch leaked");
    }

    /// <summary>What is wrong with one page's frame or patch (recording both as owned), or null.</summary>
    private static string? StorageError(in Subpage page, HashSet<int> frames, HashSet<int> patches)
    {
        if (page.Frame != 0 && page.Patch != 0)
            return $"a page has both frame {page.Frame} and patch {page.Patch}";
        if (page.Frame != 0 && !frames.Add(page.Frame))
            return $"page frame {page.Frame} has a second owner";
        if (page.Patch != 0 && !patches.Add(page.Patch))
            return $"page patch {page.Patch} has a second owner";
        return null;
    }

    private void CheckHugetlbPool(HugetlbPool pool, int inUse)
    {
        if (pool.Free + inUse != pool.Total)
            Fail($"hugetlb pool order {pool.Order}: {pool.Free} free + {inUse} in use != {pool.Total}");
        var reserved = machine.ProcessList.SelectMany(p => p.Areas).Where(v => v.HugetlbOrder == pool.Order).Sum(v => v.HugetlbReservedPages);
        if (pool.Reserved != reserved || pool.Reserved > pool.Free)
            Fail($"hugetlb pool order {pool.Order}: {pool.Reserved} reserved, VMAs hold {reserved}, {pool.Free} free");
    }

    private Observed Observe(Folio folio)
    {
        if (!_observed.TryGetValue(folio, out var observed))
        {
            observed = new Observed(folio.NrPages);
            _observed[folio] = observed;
        }

        return observed;
    }

    private static void Fail(string message) => throw new InvariantViolationException(message);

    /// <summary>Where a check looks (a page-table entry or a folio), formatted only when a check fails.</summary>
    private readonly struct Where
    {
        private readonly VmProcess? _process;
        private readonly VmArea? _vma;
        private readonly int _index;
        private readonly Folio? _folio;

        public Where(VmProcess process, VmArea vma, int index) => (_process, _vma, _index) = (process, vma, index);

        public Where(Folio folio) => _folio = folio;

        public override string ToString() => _folio is { } folio
            ? $"folio pfn {folio.Pfn} (order {folio.Order})"
            : $"{_process!.Name} 0x{_vma!.AddressOf(_index):x}";
    }

    private sealed class Observed(int pages)
    {
        private int[]? _pteMaps;

        public int[] PteMaps => _pteMaps ??= new int[pages];
        public int Entire;
        public int MappingRefs;
        public int LruBatch;
    }
}
