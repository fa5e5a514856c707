namespace CowGuard.VmModel;

/// <summary>zap_pte_range / zap_huge_pmd: removes mappings and swap entries, dropping their references.</summary>
internal static class Unmapper
{
    public static void ZapRange(VmProcess process, VmArea vma, int first, int count)
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
                machine.Swapper.DropSwapEntry(pte.SwapSlot);
                pte = default;
                continue;
            }

            var folio = pte.Folio!;
            var before = machine.Snap(folio, pte.Index);
            if (pte.IsHuge)
            {
                var (hugeFirst, hugeCount) = HugeMapping.RangeOf(vma, i);
                vma.Ptes.AsSpan(hugeFirst, hugeCount).Clear();
                if (!folio.IsZero)
                {
                    folio.EntireMapCount--;
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
                    folio.Pages[index].MapCount--;
                    machine.Memory.Put(folio, 1, process.Name, vma.AddressOf(i));
                }
            }

            machine.Trace(VmEventKind.Zap, process, vma.AddressOf(i), before, folio.Freed ? null : machine.Snap(folio, 0), "");
        }
    }
}
