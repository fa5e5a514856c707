namespace CowGuard.VmModel;

public sealed partial class Machine
{
    /// <summary>
    /// One full ksmd pass over every MADV_MERGEABLE range (cmp_and_merge_page): a page identical to a stable KSM page
    /// is merged into it; otherwise it waits in the unstable tree until an identical partner comes along, and then
    /// the two are merged into a new KSM page (try_to_merge_two_pages). A page without an identical partner never
    /// becomes a KSM page. A page is skipped when it has references beyond its mappings (write_protect_page:
    /// mapcount + swapcache != refcount — GUP references and pins) or, since 5.19, when
    /// folio_try_share_anon_rmap_pte refuses a maybe-pinned page. The model merges in a single pass (the kernel
    /// needs a page to stay unchanged across two passes, its checksum, before it enters the unstable tree).
    /// </summary>
    /// <returns>How many pages the pass saved: the increase of ksm_pages_sharing (entries mapping a KSM page, minus one per KSM page).</returns>
    public int KsmScan()
    {
        Memory.LruAddDrain();
        var stable = new Dictionary<ContentKey, Folio>();
        var unstable = new Dictionary<ContentKey, UnstableItem>();
        var merged = 0;
        foreach (var process in _processes)
        {
            foreach (var vma in process.Areas.Where(v => v.Has(VmFlags.Mergeable) && v.IsAnonymous && !v.IsShared && !v.IsHugetlb))
            {
                for (var i = 0; i < vma.PageCount; i++)
                {
                    var pte = vma.Ptes[i];
                    if (!pte.IsPresent || pte.Folio is not { IsAnon: true, IsLarge: false } folio)
                        continue;
                    var key = ContentKey.Of(folio.Pages[0]);
                    if (folio.IsKsm)
                    {
                        stable.TryAdd(key, folio);
                        continue;
                    }

                    if (folio.RefCount != folio.FolioMapCount() + (folio.InSwapCache ? 1 : 0) || folio.MaybeDmaPinned)
                        continue;
                    if (stable.TryGetValue(key, out var ksm))
                    {
                        if (!ContentKey.SameBytes(ksm.Pages[0], folio.Pages[0]))
                            continue;
                        ReplacePage(process, vma, i, folio, ksm);
                        merged++;
                        continue;
                    }

                    // unstable_tree_search_insert: remember the page, or merge it with the identical one found there.
                    if (!unstable.TryGetValue(key, out var partner) || !ContentKey.SameBytes(partner.Folio.Pages[0], folio.Pages[0]))
                    {
                        unstable[key] = new UnstableItem(process, vma, i, folio);
                        continue;
                    }

                    if (partner.Folio == folio)
                        continue; // "Don't substitute a ksm page for a forked page": a COW-shared page met its other mapping

                    unstable.Remove(key);
                    PromoteToKsm(process, vma, i, folio);
                    ReplacePage(partner.Process, partner.Vma, partner.Index, partner.Folio, folio);
                    stable[key] = folio;
                    merged++;
                }
            }
        }

        AfterOperation();
        return merged;
    }

    /// <summary>try_to_merge_with_ksm_page(page, NULL): the page becomes the KSM page in place (write_protect_page + stable_tree_insert).</summary>
    private void PromoteToKsm(VmProcess process, VmArea vma, int index, Folio folio)
    {
        var before = Snap(folio, 0);
        folio.IsKsm = true;
        folio.Pages[0].AnonExclusive = false;
        foreach (var (_, area, slot) in Rmap.FindMappings(folio))
            area.Ptes[slot].Bits &= ~PteBits.Write;
        Trace(VmEventKind.KsmMerge, process, vma.AddressOf(index), before, Snap(folio, 0), "became a KSM page");
    }

    /// <summary>replace_page: map the KSM page read-only instead of the duplicate.</summary>
    private void ReplacePage(VmProcess process, VmArea vma, int index, Folio duplicate, Folio ksm)
    {
        var before = Snap(duplicate, 0);
        ref var pte = ref vma.Ptes[index];
        var bits = pte.Bits & ~(PteBits.Write | PteBits.Huge);
        pte = Pte.Present(ksm, 0, bits);
        ksm.Pages[0].MapCount++;
        PhysicalMemory.Get(ksm);
        duplicate.Pages[0].MapCount--;
        duplicate.Pages[0].AnonExclusive = false;
        Memory.Put(duplicate, 1, process.Name, vma.AddressOf(index));
        Trace(VmEventKind.KsmMerge, process, vma.AddressOf(index), before, Snap(ksm, 0), "merged into a KSM page");
    }

    /// <summary>A page waiting in the unstable tree for an identical partner (an rmap_item).</summary>
    private readonly record struct UnstableItem(VmProcess Process, VmArea Vma, int Index, Folio Folio);

    /// <summary>Page contents for KSM's trees: uniform pages by fill byte, others by a hash confirmed with memcmp.</summary>
    private readonly record struct ContentKey(bool Uniform, long Value)
    {
        public static ContentKey Of(in Subpage page) =>
            page.Data is null ? new ContentKey(true, page.Fill) : new ContentKey(false, HashOf(page.Data));

        public static bool SameBytes(in Subpage a, in Subpage b)
        {
            Span<byte> left = stackalloc byte[PageGeometry.PageSize];
            Span<byte> right = stackalloc byte[PageGeometry.PageSize];
            a.Read(0, left);
            b.Read(0, right);
            return left.SequenceEqual(right);
        }

        private static long HashOf(byte[] data)
        {
            var hash = new HashCode();
            hash.AddBytes(data);
            return hash.ToHashCode();
        }
    }
}
