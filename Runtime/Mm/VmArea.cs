namespace CowGuard.VmModel;

/// <summary>
/// A VMA: a range of one address space with one protection, one backing and one set of vm_flags, plus its page table
/// as a struct array (one <see cref="Pte"/> per base page; huge mappings fill their whole range). The range and the
/// array change only under mmap_lock held for write, the anon_vma lock and the PTL. An array is only ever used for one
/// start address: when a VMA gets a new array (split, merge, growth, move) the old one is retired — cleared — so that
/// GUP-fast, which may still read it through an older published snapshot, sees empty entries and falls back instead
/// of taking a page the address no longer maps (the kernel frees page tables only after GUP-fast's IRQ-off window).
/// </summary>
internal sealed class VmArea
{
    public VmArea(ulong start, ulong end, VmFlags flags, MemFile? file, long pgoff, int hugetlbOrder)
    {
        Start = start;
        End = end;
        Flags = flags;
        File = file;
        PgOff = pgoff;
        HugetlbOrder = hugetlbOrder;
        Ptes = new Pte[(end - start) >> PageGeometry.PageShift];
    }

    public ulong Start { get; private set; }

    public ulong End { get; private set; }

    public VmFlags Flags { get; set; }

    /// <summary>The file mapped (memfd / tmpfile / hugetlbfs), null for anonymous memory.</summary>
    public MemFile? File { get; }

    /// <summary>vm_pgoff: the file page offset of Start, or for anonymous VMAs the linear page index of Start.</summary>
    public long PgOff { get; private set; }

    /// <summary>The hugetlb page order (9 or 18), 0 if not a hugetlb VMA.</summary>
    public int HugetlbOrder { get; }

    /// <summary>
    /// For a private MAP_HUGETLB mapping: stands for the hugetlbfs file hugetlb_file_setup creates for each such mmap,
    /// so that VMAs of different mmaps never merge (is_mergeable_vma compares vm_file) while the pieces of one do.
    /// </summary>
    public object? HugetlbFile { get; init; }

    /// <summary>HPAGE_RESV_OWNER: this VMA created the private hugetlb reservation (not inherited by fork).</summary>
    public bool HugetlbReservationOwner { get; set; }

    /// <summary>Reserved hugetlb pages this VMA has not faulted in yet.</summary>
    public int HugetlbReservedPages { get; set; }

    /// <summary>HPAGE_RESV_UNMAPPED: the owner stole a page from this child VMA; a refault here SIGBUSes.</summary>
    public bool HugetlbPagesStolen { get; set; }

    public Pte[] Ptes { get; private set; }

    public int PageCount => Ptes.Length;

    public bool IsAnonymous => File is null;

    public bool IsHugetlb => HugetlbOrder != 0;

    public bool IsShared => (Flags & VmFlags.Shared) != 0;

    /// <summary>is_cow_mapping: private and may be written.</summary>
    public bool IsCowMapping => (Flags & (VmFlags.Shared | VmFlags.MayWrite)) == VmFlags.MayWrite;

    public bool Has(VmFlags flags) => (Flags & flags) == flags;

    public bool Contains(ulong address) => address >= Start && address < End;

    public int IndexOf(ulong address) => (int)((address - Start) >> PageGeometry.PageShift);

    public ulong AddressOf(int index) => Start + ((ulong)index << PageGeometry.PageShift);

    /// <summary>linear_page_index: folio->index of a new folio at this address.</summary>
    public long LinearIndex(ulong address) => PgOff + IndexOf(address);

    public ref Pte PteAt(ulong address) => ref Ptes[IndexOf(address)];

    /// <summary>__split_vma: this VMA keeps [Start, address), the returned one gets [address, End).</summary>
    public VmArea SplitAt(ulong address)
    {
        var splitIndex = IndexOf(address);
        var upper = new VmArea(address, End, Flags, File, PgOff + splitIndex, HugetlbOrder)
        {
            HugetlbReservationOwner = HugetlbReservationOwner,
            HugetlbPagesStolen = HugetlbPagesStolen,
            HugetlbFile = HugetlbFile,
        };
        Ptes.AsSpan(splitIndex).CopyTo(upper.Ptes);
        ReplaceEntries(Ptes[..splitIndex]);
        End = address;
        var upperReserved = Math.Min(HugetlbReservedPages, CountReservable(upper));
        upper.HugetlbReservedPages = upperReserved;
        HugetlbReservedPages -= upperReserved;
        return upper;
    }

    /// <summary>vma_merge: appends an adjacent, compatible VMA's range and page table.</summary>
    public void Absorb(VmArea next)
    {
        var merged = new Pte[Ptes.Length + next.Ptes.Length];
        Ptes.CopyTo(merged, 0);
        next.Ptes.CopyTo(merged, Ptes.Length);
        ReplaceEntries(merged);
        next.ReplaceEntries([]);
        End = next.End;
        HugetlbReservedPages += next.HugetlbReservedPages;
    }

    /// <summary>is_mergeable_vma and the pgoff check of can_vma_merge_before/after.</summary>
    /// <param name="next">The VMA directly above.</param>
    /// <param name="ignored">vm_flags that may differ (a new mapping ignores VM_SOFTDIRTY, as is_mergeable_vma does).</param>
    public bool CanMergeWith(VmArea next, VmFlags ignored = VmFlags.None) =>
        End == next.Start && ((Flags ^ next.Flags) & ~ignored) == 0 && File == next.File && HugetlbFile == next.HugetlbFile
        && HugetlbOrder == next.HugetlbOrder && PgOff + PageCount == next.PgOff
        && HugetlbReservationOwner == next.HugetlbReservationOwner && HugetlbPagesStolen == next.HugetlbPagesStolen;

    /// <summary>
    /// mremap (move_page_tables): the VMA now lives at a new address with a new page table holding the same entries;
    /// vm_pgoff is kept so anon folio indexes still match.
    /// </summary>
    public void MoveTo(ulong newStart)
    {
        ReplaceEntries((Pte[])Ptes.Clone());
        End = newStart + (End - Start);
        Start = newStart;
    }

    /// <summary>Grows the VMA (mremap to a larger size): the new tail has no entries yet.</summary>
    public void Extend(ulong newEnd)
    {
        var grown = new Pte[(newEnd - Start) >> PageGeometry.PageShift];
        Ptes.CopyTo(grown, 0);
        ReplaceEntries(grown);
        End = newEnd;
    }

    /// <summary>Installs a new page table and retires the old one (the caller holds the PTL).</summary>
    private void ReplaceEntries(Pte[] entries)
    {
        var old = Ptes;
        Ptes = entries;
        Array.Clear(old);
    }

    private static int CountReservable(VmArea area)
    {
        var hugePages = 0;
        var step = 1 << area.HugetlbOrder;
        for (var i = 0; i < area.Ptes.Length; i += step)
        {
            if (area.Ptes[i].IsNone)
                hugePages++;
        }

        return hugePages;
    }
}
