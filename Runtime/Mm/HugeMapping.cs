namespace CowGuard.VmModel;

/// <summary>
/// Helpers for huge mappings (PMD-mapped THP, huge zero page, hugetlb), which fill all their page-table slots with
/// entries carrying <see cref="PteBits.Huge"/> and count as one mapping. Every helper runs under the mm's PTL.
/// </summary>
internal static class HugeMapping
{
    /// <summary>The first slot and the number of slots of the huge mapping containing slot <paramref name="index"/>.</summary>
    public static (int First, int Count) RangeOf(VmArea vma, int index)
    {
        var pte = vma.Ptes[index];
        return (index - pte.Index, pte.Folio!.NrPages);
    }

    public static void SetBits(VmArea vma, int index, PteBits bits)
    {
        var (first, count) = RangeOf(vma, index);
        foreach (ref var pte in vma.Ptes.AsSpan(first, count))
            pte.Bits |= bits;
    }

    /// <summary>
    /// __split_huge_pmd: the PMD mapping becomes 512 PTE mappings of the same folio (each subpage mapcount +1, the
    /// entire mapcount −1, refcount +511); AnonExclusive stays per subpage. The huge zero page becomes small zero
    /// page PTEs (__split_huge_zero_page_pmd). Hugetlb mappings are never split.
    /// </summary>
    public static void Split(VmProcess process, VmArea vma, int index)
    {
        var (first, count) = RangeOf(vma, index);
        var folio = vma.Ptes[first].Folio!;
        if (folio.IsHugetlb)
            throw new InvariantViolationException("hugetlb mappings cannot be split");
        var machine = process.Machine;
        var before = machine.Snap(folio, 0);
        var slots = vma.Ptes.AsSpan(first, count);
        if (folio.Kind == FolioKind.HugeZeroPage)
        {
            var zero = machine.Memory.ZeroPage;
            foreach (ref var pte in slots)
                pte = Pte.Present(zero, 0, (pte.Bits & ~(PteBits.Huge | PteBits.Write)) | PteBits.Special);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                slots[i].Bits &= ~PteBits.Huge;
                folio.AddMapCount(i, 1);
            }

            folio.AddEntireMapCount(-1);
            PhysicalMemory.Get(folio, count - 1);
        }

        machine.Trace(VmEventKind.PmdSplit, process, vma.AddressOf(first), before, machine.Snap(folio, 0), $"{count} PTEs");
    }

    /// <summary>split_huge_pmd_if_needed: before a VMA boundary lands inside a PMD mapping, split it.</summary>
    public static void SplitIfStraddling(VmProcess process, VmArea vma, ulong address)
    {
        var index = vma.IndexOf(address);
        if (index <= 0 || index >= vma.PageCount)
            return;
        var pte = vma.Ptes[index];
        if (!pte.IsPresent || !pte.IsHuge || pte.Index == 0)
            return;
        Split(process, vma, index);
    }

    /// <summary>Splits every PMD mapping that overlaps [first, first+count) but is not inside it.</summary>
    public static void SplitPartiallyCovered(VmProcess process, VmArea vma, int first, int count)
    {
        foreach (var edge in new[] { first, first + count - 1 })
        {
            var pte = vma.Ptes[edge];
            if (!pte.IsPresent || !pte.IsHuge || pte.Folio!.IsHugetlb)
                continue;
            var (hugeFirst, hugeCount) = RangeOf(vma, edge);
            if (hugeFirst < first || hugeFirst + hugeCount > first + count)
                Split(process, vma, edge);
        }
    }
}
