namespace CowGuard.VmModel;

public sealed partial class Machine
{
    /// <summary>
    /// One full ksmd pass over every MADV_MERGEABLE range (cmp_and_merge_page): a page identical to a stable KSM page
    /// is merged into it; otherwise it waits in the unstable tree until an identical partner comes along, and then
    /// the two become one KSM page (try_to_merge_two_pages). A page without an identical partner never becomes a KSM
    /// page, and a forked page is not merged with its own other mapping. A page is skipped when it has references
    /// beyond its mappings (write_protect_page: mapcount + swapcache != refcount — GUP references and pins) or, since
    /// 5.19, when folio_try_share_anon_rmap_pte refuses a maybe-pinned page. Like ksmd the pass holds
    /// ksm_thread_mutex, visits one mm at a time under its mmap_lock (read), and merges a page only under
    /// folio_trylock with the entry re-checked under the PTL.
    /// </summary>
    /// <remarks>
    /// Simplifications: the model looks at every page once per pass, first collecting the pass's rmap_items from every
    /// mm and then merging them content by content, so that it never holds two mms' mmap_lock at once (ksmd instead
    /// drops the mm's lock before cmp_and_merge_page and takes each page's mm as it merges); the kernel also needs a
    /// page's checksum to stay unchanged across two passes before it enters the unstable tree.
    /// </remarks>
    /// <returns>How many pages the pass saved: the increase of ksm_pages_sharing (entries mapping a KSM page, minus one per KSM page).</returns>
    public int KsmScan()
    {
        var merged = 0;
        using (EnterOperation())
        using (KsmLock.Lock())
        {
            Memory.LruAddDrain();
            var items = new List<RmapItem>();
            foreach (var process in Processes)
            {
                using (process.MmapLock.Read())
                {
                    if (process.IsAlive)
                        CollectRmapItems(process, items);
                }
            }

            foreach (var sameContents in items.GroupBy(item => item.Key))
                merged += MergeIdentical(sameContents.ToList());
        }

        AfterOperation();
        return merged;
    }

    /// <summary>scan_get_next_rmap_item over one mm: every present small anonymous page of its mergeable VMAs.</summary>
    private static void CollectRmapItems(VmProcess process, List<RmapItem> items)
    {
        foreach (var vma in process.Areas.Where(v => v.Has(VmFlags.Mergeable) && v.IsAnonymous && !v.IsShared && !v.IsHugetlb))
        {
            for (var i = 0; i < vma.PageCount; i++)
            {
                var pte = process.ReadEntry(vma.Ptes, i);
                if (pte.IsPresent && pte.Folio is { IsAnon: true, IsLarge: false } folio && (folio.IsKsm || MergeCandidate(folio)))
                    items.Add(new RmapItem(process, vma.AddressOf(i), pte, folio, ContentKey.Of(folio)));
            }
        }
    }

    /// <summary>
    /// The pages of one content: merged into the stable KSM page if there is one (stable_tree_search), otherwise the
    /// first page that has an identical partner becomes the KSM page in place and the others are merged into it. If
    /// none of them could be merged after all (each re-checks its entry under the PTL), the new KSM page is given up
    /// again, as try_to_merge_two_pages breaks COW on the first page when the second fails.
    /// </summary>
    private int MergeIdentical(List<RmapItem> items)
    {
        var ksm = items.FirstOrDefault(item => item.Folio.IsKsm).Folio;
        var promoted = false;
        if (ksm is null)
        {
            foreach (var item in items)
            {
                // unstable_tree_search_insert: "Don't substitute a ksm page for a forked page" (page == tree_page).
                var hasPartner = items.Any(other => other.Folio != item.Folio && ContentKey.SameBytes(other.Folio, item.Folio));
                if (hasPartner && UnderMmapLock(item, (vma, index) => PromoteToKsm(item.Process, vma, index, item.Seen, item.Folio)))
                {
                    (ksm, promoted) = (item.Folio, true);
                    break;
                }
            }

            if (ksm is null)
                return 0;
        }

        var merged = 0;
        foreach (var item in items.Where(item => item.Folio != ksm && !item.Folio.IsKsm))
        {
            if (UnderMmapLock(item, (vma, index) => ReplacePage(item.Process, vma, index, item.Seen, item.Folio, ksm)))
                merged++;
        }

        if (promoted && merged == 0)
            GiveUpKsmPage(ksm);
        return merged;
    }

    /// <summary>try_to_merge_with_ksm_page takes the page's mm's mmap_lock (read) and finds its VMA again (find_mergeable_vma).</summary>
    private static bool UnderMmapLock(RmapItem item, Func<VmArea, int, bool> merge)
    {
        using (item.Process.MmapLock.Read())
        {
            if (!item.Process.IsAlive || item.Process.FindVma(item.Address) is not { } vma || !vma.Has(VmFlags.Mergeable))
                return false;
            return merge(vma, vma.IndexOf(item.Address));
        }
    }

    /// <summary>break_cow on a page that became a KSM page without a partner: it is an ordinary anon page again.</summary>
    private void GiveUpKsmPage(Folio folio)
    {
        folio.Lock();
        try
        {
            var before = Snap(folio, 0);
            folio.IsKsm = false;
            Trace(VmEventKind.KsmMerge, null, 0, before, Snap(folio, 0), "no partner merged after all: no longer a KSM page");
        }
        finally
        {
            folio.Unlock();
        }
    }

    /// <summary>A page seen by this pass (ksm's rmap_item): where it is mapped, the entry as read, and its contents.</summary>
    private readonly record struct RmapItem(VmProcess Process, ulong Address, Pte Seen, Folio Folio, ContentKey Key);

    /// <summary>write_protect_page's check: no references beyond mappings and swapcache, not maybe pinned.</summary>
    private static bool MergeCandidate(Folio folio) =>
        folio.RefCount == folio.FolioMapCount() + (folio.InSwapCache ? 1 : 0) && !folio.MaybeDmaPinned;

    /// <summary>
    /// try_to_merge_with_ksm_page(page, NULL): the page becomes the KSM page in place (write_protect_page +
    /// stable_tree_insert). A writable private anon entry is its page's only mapping, so write-protecting this entry
    /// write-protects the page.
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
