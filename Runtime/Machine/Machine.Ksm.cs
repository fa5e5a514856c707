namespace CowGuard.VmModel;

public sealed partial class Machine
{
    /// <summary>
    /// One full ksmd pass over every MADV_MERGEABLE range: identical small anonymous pages are merged into one
    /// write-protected KSM page. A page is skipped when it has references beyond its mappings (write_protect_page:
    /// mapcount + swapcache != refcount — GUP references and pins) or, since 5.19, when
    /// folio_try_share_anon_rmap_pte refuses a maybe-pinned page. The model merges in a single pass (the kernel
    /// needs a page to stay unchanged across two passes before it enters the unstable tree). Like ksmd it holds
    /// ksm_thread_mutex, visits one mm at a time under its mmap_lock (read), and merges a page only under folio_trylock
    /// with the entry re-checked under the PTL.
    /// </summary>
    /// <returns>The number of page-table entries that now map a KSM page they did not map before.</returns>
    public int KsmScan()
    {
        var merged = 0;
        using (EnterOperation())
        using (KsmLock.Lock())
        {
            Memory.LruAddDrain();
            var stable = new Dictionary<ContentKey, Folio>();
            foreach (var process in Processes)
            {
                using (process.MmapLock.Read())
                {
                    if (process.IsAlive)
                        merged += ScanMm(process, stable);
                }
            }
        }

        AfterOperation();
        return merged;
    }

    private int ScanMm(VmProcess process, Dictionary<ContentKey, Folio> stable)
    {
        var merged = 0;
        foreach (var vma in process.Areas.Where(v => v.Has(VmFlags.Mergeable) && v.IsAnonymous && !v.IsShared && !v.IsHugetlb))
        {
            for (var i = 0; i < vma.PageCount; i++)
            {
                var pte = process.ReadEntry(vma.Ptes, i);
                if (!pte.IsPresent || pte.Folio is not { IsAnon: true, IsLarge: false } folio)
                    continue;
                var key = ContentKey.Of(folio);
                if (folio.IsKsm)
                {
                    stable.TryAdd(key, folio);
                    continue;
                }

                if (!MergeCandidate(folio))
                    continue;
                if (!stable.TryGetValue(key, out var ksm))
                {
                    if (PromoteToKsm(process, vma, i, pte, folio))
                        stable[key] = folio;
                    continue;
                }

                if (ReplacePage(process, vma, i, pte, folio, ksm))
                    merged++;
            }
        }

        return merged;
    }

    /// <summary>write_protect_page's check: no references beyond mappings and swapcache, not maybe pinned.</summary>
    private static bool MergeCandidate(Folio folio) =>
        folio.RefCount == folio.FolioMapCount() + (folio.InSwapCache ? 1 : 0) && !folio.MaybeDmaPinned;

    /// <summary>
    /// The first page with given contents becomes the KSM page in place (write_protect_page + stable_tree_insert). A
    /// writable private anon entry is its page's only mapping, so write-protecting this entry write-protects the page.
    /// </summary>
    private bool PromoteToKsm(VmProcess process, VmArea vma, int index, in Pte seen, Folio folio)
    {
        if (!folio.TryLock())
            return false;
        try
        {
            using (process.PageTableLock.Lock())
            {
                ref var pte = ref vma.Ptes[index];
                if (!Pte.Same(pte, seen) || !MergeCandidate(folio))
                    return false;
                var before = Snap(folio, 0);
                folio.IsKsm = true;
                folio.Pages[0].AnonExclusive = false;
                pte.Bits &= ~PteBits.Write;
                Trace(VmEventKind.KsmMerge, process, vma.AddressOf(index), before, Snap(folio, 0), "became a KSM page");
                return true;
            }
        }
        finally
        {
            folio.Unlock();
        }
    }

    /// <summary>try_to_merge_one_page + replace_page: map the KSM page read-only instead of the duplicate.</summary>
    private bool ReplacePage(VmProcess process, VmArea vma, int index, in Pte seen, Folio duplicate, Folio ksm)
    {
        if (!duplicate.TryLock())
            return false;
        try
        {
            if (!ksm.TryLock())
                return false;
            try
            {
                // Under the KSM page's lock its contents cannot change (it is write-protected and nobody reuses it).
                if (!ksm.IsKsm || !ContentKey.SameBytes(ksm, duplicate))
                    return false;
                using (process.PageTableLock.Lock())
                {
                    ref var pte = ref vma.Ptes[index];
                    if (!Pte.Same(pte, seen) || !MergeCandidate(duplicate) || !ksm.TryGet(1))
                        return false;
                    var before = Snap(duplicate, 0);
                    var bits = pte.Bits & ~(PteBits.Write | PteBits.Huge);
                    pte = Pte.Present(ksm, 0, bits);
                    ksm.AddMapCount(0, 1);
                    duplicate.AddMapCount(0, -1);
                    duplicate.Pages[0].AnonExclusive = false;
                    Memory.Put(duplicate, 1, process.Name, vma.AddressOf(index));
                    Trace(VmEventKind.KsmMerge, process, vma.AddressOf(index), before, Snap(ksm, 0), "merged into a KSM page");
                    return true;
                }
            }
            finally
            {
                ksm.Unlock();
            }
        }
        finally
        {
            duplicate.Unlock();
        }
    }

    /// <summary>Page contents for KSM's trees: uniform pages by fill byte, others by a hash confirmed with memcmp.</summary>
    private readonly record struct ContentKey(bool Uniform, long Value)
    {
        public static ContentKey Of(Folio folio)
        {
            var value = folio.ContentFingerprint(0, out var uniform);
            return new ContentKey(uniform, value);
        }

        public static bool SameBytes(Folio a, Folio b)
        {
            Span<byte> left = stackalloc byte[PageGeometry.PageSize];
            Span<byte> right = stackalloc byte[PageGeometry.PageSize];
            a.ReadBytes(0, 0, left);
            b.ReadBytes(0, 0, right);
            return left.SequenceEqual(right);
        }
    }
}
