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
                var index = pte.Index;
                pte = default;
                if (!folio.IsZero)
                {
                    folio.AddMapCount(index, -1);
                    machine.Memory.Put(folio, 1, process.Name, vma.AddressOf(i));
                }
            }

            machine.Trace(VmEventKind.Zap, process, address, before, folio.Freed ? null : machine.Snap(folio, 0), "");
        }
    }
}
