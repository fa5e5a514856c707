namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>
    /// mmap(2). Anonymous private memory, shared anonymous memory (shmem), a file (<see cref="MemFile"/>), or
    /// hugetlb memory (MAP_HUGETLB: private mappings reserve their pages from the pool at mmap time).
    /// </summary>
    /// <param name="length">Length in bytes (rounded up to the page or huge page size).</param>
    /// <param name="prot">Protection.</param>
    /// <param name="flags">Exactly one of Private/Shared, plus Anonymous (or a file), Hugetlb, Huge1G, Fixed.</param>
    /// <param name="file">The file to map when not anonymous.</param>
    /// <param name="offset">Offset in the file (page aligned).</param>
    /// <param name="address">With <see cref="MapFlags.Fixed"/>: where to map; otherwise ignored.</param>
    /// <returns>The start address of the mapping.</returns>
    public ulong Mmap(ulong length, Prot prot, MapFlags flags, MemFile? file = null, ulong offset = 0, ulong address = 0)
    {
        ulong start;
        using (Machine.EnterOperation())
        using (MmapWrite())
            start = MmapLocked(length, prot, flags, file, offset, address);
        Machine.AfterOperation();
        return start;
    }

    private ulong MmapLocked(ulong length, Prot prot, MapFlags flags, MemFile? file, ulong offset, ulong address)
    {
        EnsureAlive("mmap");
        var shared = (flags & MapFlags.Shared) != 0;
        if (shared == ((flags & MapFlags.Private) != 0))
            throw new InvalidVmArgumentException(null, "mmap needs exactly one of MAP_PRIVATE and MAP_SHARED");
        var anonymous = (flags & MapFlags.Anonymous) != 0;
        if (anonymous == (file is not null))
            throw new InvalidVmArgumentException(null, "mmap needs MAP_ANONYMOUS or a file, not both");
        if (length == 0)
            throw new InvalidVmArgumentException(null, "mmap of length 0");
        if (!PageGeometry.IsPageAligned(offset))
            throw new InvalidVmArgumentException(null, $"mmap offset 0x{offset:x} is not page aligned");

        var hugetlbOrder = file?.HugetlbOrder ?? 0;
        if ((flags & (MapFlags.Hugetlb | MapFlags.Huge1G)) != 0)
        {
            if (!anonymous)
                throw new InvalidVmArgumentException(null, "MAP_HUGETLB with a file: use a hugetlb memfd instead");
            hugetlbOrder = (flags & MapFlags.Huge1G) != 0 ? PageGeometry.PudOrder : PageGeometry.PmdOrder;
        }

        var alignment = hugetlbOrder != 0 ? PageGeometry.OrderSize(hugetlbOrder) : PageGeometry.PageSize;
        length = PageGeometry.AlignUp(length, alignment);
        if (hugetlbOrder != 0 && offset % alignment != 0)
            throw new InvalidVmArgumentException(null, "hugetlb mmap offset is not huge page aligned");

        if (anonymous && shared)
            file = hugetlbOrder != 0 ? new MemFile(Machine, 0, "anon_hugepage", hugetlbOrder) : new MemFile(Machine, 0, "dev/zero", 0);
        if (file is not null && file.HugetlbOrder != hugetlbOrder)
            throw new InvalidVmArgumentException(null, "mapping a hugetlb file needs its own huge page size");
        if (anonymous && shared)
            file!.SetSizeOfNewObject((long)length);

        var vmFlags = ToVmFlags(prot) | VmFlags.MayRead | VmFlags.MayWrite | VmFlags.SoftDirty;
        if (shared)
            vmFlags |= VmFlags.Shared | VmFlags.MayShare;
        if (hugetlbOrder != 0)
            vmFlags |= VmFlags.Hugetlb;

        var hugePages = hugetlbOrder != 0 ? (int)(length / alignment) : 0;
        var reserve = hugetlbOrder != 0 && !shared;
        if (reserve && Machine.Memory.PoolFor(hugetlbOrder).Available < hugePages)
            throw new OutOfVmMemoryException(null, $"hugetlb: cannot reserve {hugePages} huge pages (pool has {Machine.Memory.PoolFor(hugetlbOrder).Available} available)");

        ulong start;
        if ((flags & MapFlags.Fixed) != 0)
        {
            if (address % alignment != 0)
                throw new InvalidVmArgumentException(address, "MAP_FIXED address is not aligned");
            CheckUserRange(address, length);
            start = address;
            UnmapRange(start, length);
        }
        else
        {
            start = UnmappedArea.Get(_vmas, length, hugetlbOrder, privateAnonymous: anonymous && !shared);
        }

        var pgoff = file is null ? (long)(start >> PageGeometry.PageShift) : (long)(offset >> PageGeometry.PageShift);
        var vma = new VmArea(start, start + length, vmFlags, file, pgoff, hugetlbOrder)
        {
            HugetlbFile = hugetlbOrder != 0 && file is null ? new object() : null,
        };
        if (reserve)
        {
            // The check above ran before anything changed; another process may have taken the pages since.
            if (!Machine.Memory.TryReserveHugetlb(hugetlbOrder, hugePages))
                throw new OutOfVmMemoryException(null, $"hugetlb: cannot reserve {hugePages} huge pages (taken meanwhile)");
            vma.HugetlbReservationOwner = true;
            vma.HugetlbReservedPages = hugePages;
        }

        using (Machine.RmapLock.Write())
            InsertVma(vma);
        MergeNewVma(vma);
        return start;
    }

    /// <summary>
    /// vma_merge_new_range: a new mapping joins a compatible VMA directly above and below it (top-down placement puts
    /// consecutive anonymous mmaps next to each other, and the kernel then shows one VMA). VM_SOFTDIRTY does not stop
    /// the merge (is_mergeable_vma ignores it) and the result is soft-dirty (__mmap_complete sets it).
    /// </summary>
    private void MergeNewVma(VmArea vma)
    {
        var index = _vmas.IndexOf(vma);
        var below = index > 0 && _vmas[index - 1].CanMergeWith(vma, VmFlags.SoftDirty) ? _vmas[index - 1] : null;
        var above = index + 1 < _vmas.Count && vma.CanMergeWith(_vmas[index + 1], VmFlags.SoftDirty) ? _vmas[index + 1] : null;
        if (below is null && above is null)
            return;
        using (Machine.RmapLock.Write())
        using (PageTableLock.Lock())
        {
            if (above is not null)
            {
                vma.Absorb(above);
                RemoveVma(above);
            }

            if (below is not null)
            {
                below.Absorb(vma);
                RemoveVma(vma);
                below.Flags |= VmFlags.SoftDirty;
            }
            else
            {
                vma.Flags |= VmFlags.SoftDirty;
            }
        }
    }

    /// <summary>munmap(2): unmaps every page of the range (holes are fine, like the kernel).</summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes (rounded up to pages).</param>
    public void Munmap(ulong address, ulong length)
    {
        using (Machine.EnterOperation())
        using (MmapWrite())
        {
            EnsureAlive("munmap");
            CheckRangeArguments(address, ref length);
            UnmapRange(address, length);
        }

        Machine.AfterOperation();
    }

    /// <summary>mprotect(2). Splits VMAs (and PMD mappings straddling the boundaries) as needed.</summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    /// <param name="prot">The new protection.</param>
    public void Mprotect(ulong address, ulong length, Prot prot)
    {
        using (Machine.EnterOperation())
        using (MmapWrite())
        {
            EnsureAlive("mprotect");
            CheckRangeArguments(address, ref length);
            var areas = SplitToRange(address, length, requireMapped: true);
            foreach (var vma in areas)
                Protection.Change(this, vma, ToVmFlags(prot));
            MergeAdjacentVmas();
        }

        Machine.AfterOperation();
    }

    /// <summary>
    /// mremap(2): shrink in place, or move (MREMAP_MAYMOVE, optionally MREMAP_FIXED) a range that lies in one VMA,
    /// possibly growing it. Moved page-table entries keep their pages (move_page_tables); PMD mappings in the moved
    /// range are split first.
    /// </summary>
    /// <param name="oldAddress">Page-aligned start of the range.</param>
    /// <param name="oldLength">Its length.</param>
    /// <param name="newLength">The new length.</param>
    /// <param name="flags">MayMove, Fixed.</param>
    /// <param name="newAddress">With Fixed: the destination.</param>
    /// <returns>The (possibly new) start address.</returns>
    public ulong Mremap(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress = 0)
    {
        ulong result;
        using (Machine.EnterOperation())
        using (MmapWrite())
            result = MremapLocked(oldAddress, oldLength, newLength, flags, newAddress);
        Machine.AfterOperation();
        return result;
    }

    private ulong MremapLocked(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress)
    {
        EnsureAlive("mremap");
        CheckRangeArguments(oldAddress, ref oldLength);
        if (newLength == 0)
            throw new InvalidVmArgumentException(oldAddress, "mremap to length 0");
        newLength = PageGeometry.AlignUp(newLength, PageGeometry.PageSize);
        var fixedTarget = (flags & MremapFlags.Fixed) != 0;
        if (fixedTarget && (flags & MremapFlags.MayMove) == 0)
            throw new InvalidVmArgumentException(oldAddress, "MREMAP_FIXED needs MREMAP_MAYMOVE");
        var source = FindVma(oldAddress);
        if (source is null || oldAddress + oldLength > source.End)
            throw new BadAddressException(oldAddress, "EFAULT: mremap range is not inside one VMA");
        if (source.IsHugetlb)
            throw new InvalidVmArgumentException(oldAddress, "mremap of hugetlb mappings is not modelled");

        return Remapper.Remap(this, oldAddress, oldLength, newLength, flags, newAddress);
    }

    internal static VmFlags ToVmFlags(Prot prot)
    {
        var flags = VmFlags.None;
        if ((prot & Prot.Read) != 0)
            flags |= VmFlags.Read;
        if ((prot & Prot.Write) != 0)
            flags |= VmFlags.Write | VmFlags.Read;
        return flags;
    }

    /// <summary>Links a VMA into the list (mmap_lock held for write and the anon_vma lock held exclusive).</summary>
    internal void InsertVma(VmArea vma)
    {
        var index = _vmas.FindIndex(v => v.Start > vma.Start);
        _vmas.Insert(index < 0 ? _vmas.Count : index, vma);
        LayoutChanged();
    }

    /// <summary>Unlinks a VMA (mmap_lock held for write and the anon_vma lock held exclusive).</summary>
    internal void RemoveVma(VmArea vma)
    {
        _vmas.Remove(vma);
        LayoutChanged();
    }

    internal void ReleaseHugetlbReservation(VmArea vma)
    {
        if (vma.HugetlbReservedPages == 0)
            return;
        Machine.Memory.UnreserveHugetlb(vma.HugetlbOrder, vma.HugetlbReservedPages);
        vma.HugetlbReservedPages = 0;
    }

    internal void CheckRangeArguments(ulong address, ref ulong length)
    {
        if (!PageGeometry.IsPageAligned(address))
            throw new InvalidVmArgumentException(address, "EINVAL: address is not page aligned");
        if (length == 0)
            throw new InvalidVmArgumentException(address, "EINVAL: length 0");
        length = PageGeometry.AlignUp(length, PageGeometry.PageSize);
        CheckUserRange(address, length);
    }

    /// <summary>Splits VMAs so that [address, address+length) is covered by whole VMAs, and returns them in order.</summary>
    internal List<VmArea> SplitToRange(ulong address, ulong length, bool requireMapped)
    {
        var end = address + length;
        if (requireMapped)
        {
            var cursor = address;
            while (cursor < end)
            {
                var vma = FindVma(cursor) ?? throw new OutOfVmMemoryException(cursor, "ENOMEM: part of the range is not mapped");
                cursor = vma.End;
            }
        }

        foreach (var vma in _vmas.Where(v => v.Start < end && v.End > address).ToList())
            CheckHugetlbAlignment(vma, address, end);
        SplitVmaAt(address);
        SplitVmaAt(end);
        return _vmas.Where(v => v.Start >= address && v.End <= end).ToList();
    }

    /// <summary>__split_vma at <paramref name="address"/> if a VMA straddles it (splitting a PMD mapping first).</summary>
    internal void SplitVmaAt(ulong address)
    {
        var vma = FindVma(address);
        if (vma is null || vma.Start == address)
            return;
        using (Machine.RmapLock.Write())
        using (PageTableLock.Lock())
        {
            HugeMapping.SplitIfStraddling(this, vma, address);
            InsertVma(vma.SplitAt(address));
        }
    }

    /// <summary>vma_merge: joins neighbours that became identical again (e.g. MADV_DOFORK after MADV_DONTFORK).</summary>
    internal void MergeAdjacentVmas()
    {
        for (var i = 0; i + 1 < _vmas.Count;)
        {
            if (_vmas[i].CanMergeWith(_vmas[i + 1]))
            {
                using (Machine.RmapLock.Write())
                using (PageTableLock.Lock())
                {
                    _vmas[i].Absorb(_vmas[i + 1]);
                    RemoveVma(_vmas[i + 1]);
                }
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>do_vmi_munmap: split at the edges, zap, give reservations back, unlink.</summary>
    internal void UnmapRange(ulong address, ulong length)
    {
        foreach (var vma in SplitToRange(address, length, requireMapped: false))
        {
            Unmapper.ZapRange(this, vma, 0, vma.PageCount);
            ReleaseHugetlbReservation(vma);
            using (Machine.RmapLock.Write())
                RemoveVma(vma);
        }
    }

    private static void CheckHugetlbAlignment(VmArea vma, ulong start, ulong end)
    {
        if (!vma.IsHugetlb)
            return;
        var size = PageGeometry.OrderSize(vma.HugetlbOrder);
        if ((start > vma.Start && start < vma.End && start % size != 0) || (end > vma.Start && end < vma.End && end % size != 0))
            throw new InvalidVmArgumentException(start, "EINVAL: hugetlb range is not huge page aligned");
    }
}
