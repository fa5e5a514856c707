namespace CowGuard.VmModel;

/// <summary>zap_pte_range / zap_huge_pmd: removes mappings and swap entries, dropping their references.</summary>
internal static class Unmapper
{
    /// <summary>Zaps under the mm's PTL, then finishes the swapcache frees that had to wait for the folio lock.</summary>
    public static void ZapRange(VmProcess process, VmArea vma, int first, int count)
    {
        List<Folio>? deferred = null;
        using (process.PageTableLock.Lock())
            ZapRangeLocked(process, vma, first, count, ref deferred);
        process.Machine.Swapper.FinishDeferredFrees(deferred);
    }

    /// <summary>
    /// The zap itself (PTL held). Swapcache folios that could not be trylocked are added to <paramref name="deferred"/>
    /// for <see cref="Swapper.FinishDeferredFrees"/>, which the caller runs once it holds no PTL.
    /// </summary>
    public static void ZapRangeLocked(VmProcess process, VmArea vma, int first, int count, ref List<Folio>? deferred)
    {
        if (count <= 0)
            return;
        HugeMapping.SplitPartiallyCovered(process, vma, first, count);
        var machine = process.Machine;
        // The trace records every page with its counts before and after, so only an untraced zap takes the run loop.
        var runs = !machine.Events.Enabled;
        for (var i = first; i < first + count; i++)
        {
            ref var pte = ref vma.Ptes[i];
            if (pte.IsNone)
                continue;
            if (pte.IsSwap)
            {
                machine.Swapper.DropSwapEntry(pte.SwapSlot, ref deferred);
                pte = default;
                continue;
            }

            if (runs && !pte.IsHuge)
            {
                i = ZapPresentRun(process, vma, i, first + count) - 1;
                continue;
            }

            var folio = pte.Folio!;
            var before = machine.Snap(folio, pte.Index);
            var address = vma.AddressOf(i);
            if (pte.IsHuge)
            {
                var (hugeFirst, hugeCount) = HugeMapping.RangeOf(vma, i);
                address = vma.AddressOf(hugeFirst); // one event for the whole huge mapping, at its start
                vma.Ptes.AsSpan(hugeFirst, hugeCount).Clear();
                if (!folio.IsZero)
                {
                    folio.AddEntireMapCount(-1);
                    machine.Memory.Put(folio, 1, process.Name, vma.AddressOf(hugeFirst));
                }

                i = hugeFirst + hugeCount - 1;
            }
            else
            {
                ZapPresentPte(process, vma, i, ref pte, folio);
            }

            machine.Trace(VmEventKind.Zap, process, address, before, folio.Freed ? null : machine.Snap(folio, 0), "");
        }
    }

    /// <summary>
    /// zap_pte_range's loop over a run of PTE-mapped pages (mm/memory.c zap_present_ptes, one small folio per entry),
    /// from <paramref name="first"/> up to the first swap entry or huge mapping before <paramref name="end"/>; returns
    /// that slot. Per page the same steps as the general loop in the same order — the entry cleared, the page's
    /// mapcount −1 (folio_remove_rmap_pte), the mapping's reference dropped (<see cref="ZapPresentPte"/>) — without
    /// the trace's per-page snapshots and with the page table looked up once per run. The PTL is held for the whole
    /// zap, so no reader sees the run half done.
    /// </summary>
    private static int ZapPresentRun(VmProcess process, VmArea vma, int first, int end)
    {
        var ptes = vma.Ptes.AsSpan(0, end);
        var i = first;
        for (; i < ptes.Length; i++)
        {
            ref var pte = ref ptes[i];
            if (pte.IsHuge || pte.IsSwap)
                break;
            if (pte.Folio is { } folio)
                ZapPresentPte(process, vma, i, ref pte, folio);
        }

        return i;
    }

    /// <summary>zap_present_pte for a PTE-mapped page: the entry cleared, the page's mapcount −1
    /// (folio_remove_rmap_pte), the mapping's reference dropped (freeing the folio when it was the last).</summary>
    private static void ZapPresentPte(VmProcess process, VmArea vma, int i, ref Pte pte, Folio folio)
    {
        var index = pte.Index;
        pte = default;
        if (!folio.IsZero)
        {
            folio.AddMapCount(index, -1);
            process.Machine.Memory.Put(folio, 1, process.Name, vma.AddressOf(i));
        }
    }
}
