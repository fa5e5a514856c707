namespace CowGuard.VmModel;

/// <summary>
/// copy_page_range for one VMA: copy_present_ptes, copy_nonpresent_pte, copy_huge_pmd, copy_hugetlb_page_range. Runs
/// with both mms' mmap_lock held for write and both PTLs held (the child's, then the parent's nested), inside the
/// parent's write_protect_seq write section.
/// </summary>
internal sealed class ForkCopier(VmProcess parent, VmProcess child, VmArea source, VmArea destination, ForkReservations reservations)
{
    private readonly Machine _machine = parent.Machine;

    /// <summary>Whether fork gives the child its own copy of this page (an anonymous, non-KSM page the era says may be pinned).</summary>
    public static bool NeedsCopy(VmProcess parent, Folio folio, int index) =>
        folio.IsAnon && !folio.IsKsm && parent.Machine.Era.PageNeedsCowForDma(parent, folio, index);

    public void Copy()
    {
        // The trace records every page with its counts before and after, so only an untraced copy takes the run loop.
        var runs = !_machine.Events.Enabled;
        for (var i = 0; i < source.PageCount; i++)
        {
            var pte = source.Ptes[i];
            if (pte.IsNone)
                continue;
            if (pte.IsSwap)
            {
                CopySwapEntry(i);
                continue;
            }

            if (pte.IsHuge)
            {
                i = CopyHuge(i) - 1;
                continue;
            }

            if (runs)
                i = CopyPresentRun(i) - 1;
            else
                CopyPresentPte(i);
        }
    }

    /// <summary>copy_nonpresent_pte: swap_duplicate; the entry is no longer exclusive in either mm.</summary>
    private void CopySwapEntry(int i)
    {
        ref var parentPte = ref source.Ptes[i];
        var swap = _machine.Memory.Swap;
        using (swap.Lock.Lock())
            swap.Get(parentPte.SwapSlot).SwapCount++; // swap_duplicate
        parentPte.Bits &= ~PteBits.SwpExclusive;
        destination.Ptes[i] = Pte.SwapEntry(parentPte.SwapSlot, ChildBits(parentPte.Bits));
    }

    private void CopyPresentPte(int i)
    {
        ref var parentPte = ref source.Ptes[i];
        var folio = parentPte.Folio!;
        var address = source.AddressOf(i);
        if (NeedsCopy(parent, folio, parentPte.Index))
        {
            CopyPageForChild(i, folio, parentPte.Index);
            return;
        }

        var before = _machine.Snap(folio, parentPte.Index);
        SharePresentPte(ref parentPte, ref destination.Ptes[i], folio);
        _machine.Trace(VmEventKind.ForkShare, child, address, before, _machine.Snap(folio, parentPte.Index), "");
    }

    /// <summary>
    /// copy_present_pte once the page is to be shared: __folio_try_dup_anon_rmap (AnonExclusive cleared, mapcount +1)
    /// and folio_get, the parent's entry write-protected in a COW mapping, the child's entry old and without uffd-wp.
    /// </summary>
    private void SharePresentPte(ref Pte parentPte, ref Pte childPte, Folio folio)
    {
        if (!folio.IsZero)
            folio.DupAnonRmapPte(parentPte.Index);
        if (source.IsCowMapping)
            parentPte.Bits &= ~PteBits.Write;
        childPte = Pte.Present(folio, parentPte.Index, ChildBits(parentPte.Bits));
    }

    /// <summary>
    /// copy_pte_range's loop over a run of PTE-mapped pages (mm/memory.c copy_present_ptes, one small folio per entry),
    /// from <paramref name="first"/> up to the first entry that is none, a swap entry or part of a huge mapping;
    /// returns that slot. The same steps as <see cref="CopyPresentPte"/> in the same order per page — the
    /// folio_needs_cow_for_dma check, __folio_try_dup_anon_rmap (AnonExclusive cleared, mapcount +1), folio_get, the
    /// parent's entry write-protected in a COW mapping, the child's entry old and without uffd-wp
    /// (<see cref="SharePresentPte"/>) — without the trace's per-page snapshots (building and copying the empty
    /// PageState? values cost more than the copy itself) and with both page tables looked up once per run. Both PTLs
    /// are held for the whole copy, as the kernel holds them across a PTE table, so no reader sees the run half done.
    /// </summary>
    private int CopyPresentRun(int first)
    {
        var parentPtes = source.Ptes.AsSpan();
        var childPtes = destination.Ptes.AsSpan(0, parentPtes.Length);
        var i = first;
        for (; i < parentPtes.Length; i++)
        {
            ref var parentPte = ref parentPtes[i];
            if (parentPte.Folio is not { } folio || parentPte.IsHuge)
                break;
            if (NeedsCopy(parent, folio, parentPte.Index))
                CopyPageForChild(i, folio, parentPte.Index);
            else
                SharePresentPte(ref parentPte, ref childPtes[i], folio);
        }

        return i;
    }

    /// <summary>copy_present_page: the child gets a private, writable copy; the parent's PTE stays as it was.</summary>
    private void CopyPageForChild(int i, Folio folio, int index)
    {
        var address = source.AddressOf(i);
        var before = _machine.Snap(folio, index);
        var copy = _machine.Memory.Allocate(0, FolioKind.Anon, source.LinearIndex(address));
        folio.CopyPagesTo(index, copy, 0, 1);
        copy.Pages[0].MapCount = 1;
        _machine.Era.SetPageAnonExclusive(copy, 0); // folio_add_new_anon_rmap(RMAP_EXCLUSIVE)
        copy.SetRefCount(1);
        var bits = PteBits.Young | PteBits.Dirty | PteBits.SoftDirty
                   | (source.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);
        destination.Ptes[i] = Pte.Present(copy, 0, bits);
        _machine.Memory.AddToLru(copy);
        _machine.Trace(VmEventKind.ForkCopy, child, address, before, _machine.Snap(copy, 0), "maybe pinned: early COW for the child");
    }

    /// <summary>copy_huge_pmd / copy_hugetlb_page_range. Returns the slot after the huge mapping.</summary>
    private int CopyHuge(int i)
    {
        var (first, count) = HugeMapping.RangeOf(source, i);
        var folio = source.Ptes[first].Folio!;
        if (!folio.IsHugetlb && NeedsCopy(parent, folio, 0) && !folio.IsZero)
        {
            // folio_try_dup_anon_rmap_pmd failed: split the PMD and copy at PTE level.
            HugeMapping.Split(parent, source, first);
            for (var k = first; k < first + count; k++)
                CopyPresentPte(k);
            return first + count;
        }

        if (folio.IsHugetlb && NeedsCopy(parent, folio, 0))
        {
            CopyHugetlbForChild(first, count, folio);
            return first + count;
        }

        var before = _machine.Snap(folio, 0);
        if (!folio.IsZero)
        {
            // __folio_try_dup_anon_rmap_pmd / hugetlb_try_dup_anon_rmap: now shared (hugetlb keeps the flag on its head)
            for (var k = 0; k < (folio.IsHugetlb ? 1 : folio.NrPages); k++)
                folio.Pages[k].AnonExclusive = false;
            folio.AddEntireMapCount(1);
            PhysicalMemory.Get(folio);
        }

        for (var k = first; k < first + count; k++)
        {
            ref var parentPte = ref source.Ptes[k];
            if (source.IsCowMapping && parentPte.IsWrite)
                parentPte.Bits &= ~PteBits.Write;
            destination.Ptes[k] = Pte.Present(folio, parentPte.Index, ChildBits(parentPte.Bits));
        }

        _machine.Trace(VmEventKind.ForkShare, child, source.AddressOf(first), before, _machine.Snap(folio, 0), folio.IsHugetlb ? "hugetlb" : "PMD");
        return first + count;
    }

    private void CopyHugetlbForChild(int first, int count, Folio folio)
    {
        var before = _machine.Snap(folio, 0);
        var copy = _machine.Memory.AllocateHugetlb(folio.Order, reservations.TryConsume(folio.Order), folio.Index)
                   ?? throw new OutOfVmMemoryException(null, "fork: no free huge page to copy a hugetlb page that became maybe-pinned during fork");
        folio.CopyPagesTo(0, copy, 0, count);
        _machine.Era.SetPageAnonExclusive(copy, 0);
        copy.SetEntireMapCount(1);
        copy.SetRefCount(1);
        var bits = PteBits.Huge | PteBits.Young | PteBits.Dirty | (source.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);
        for (var k = 0; k < count; k++)
            destination.Ptes[first + k] = Pte.Present(copy, k, bits);
        _machine.Trace(VmEventKind.ForkCopy, child, source.AddressOf(first), before, _machine.Snap(copy, 0), "hugetlb: maybe pinned, early COW for the child");
    }

    /// <summary>The child's entry: old (young cleared), uffd-wp dropped (the child VMA is not registered).</summary>
    private static PteBits ChildBits(PteBits parentBits) => parentBits & ~(PteBits.Young | PteBits.UffdWp);
}
