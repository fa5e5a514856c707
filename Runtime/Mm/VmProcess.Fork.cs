namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>
    /// fork(2): dup_mmap + copy_page_range. COW mappings are write-protected in parent and child and share their pages,
    /// except pages the era says must be copied for the child (maybe-pinned pages from 5.9 on). VMAs with
    /// MADV_DONTFORK are not copied, MADV_WIPEONFORK ones are copied empty.
    /// </summary>
    /// <param name="name">The child's name (default: parent name + "-child").</param>
    public VmProcess Fork(string? name = null)
    {
        VmProcess child;
        using (Machine.EnterOperation())
        using (MmapWrite())
        {
            EnsureAlive("fork");
            var reservations = PrepareForkCopies();
            child = new VmProcess(Machine, name ?? Name + "-child", Machine.NextPid());
            // dup_mmap: mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING) on the new mm, then link its VMAs (the
            // anon_vma chains, here the machine's rmap lock).
            using (child.MmapWrite(LockNesting.Nested))
            using (Machine.RmapLock.Write())
            {
                Machine.ProcessList.Add(child);
                WriteProtectSeqStep(); // raw_write_seqcount_begin(&src_mm->write_protect_seq)
                try
                {
                    CopyVmas(child, reservations);
                }
                catch (VmException)
                {
                    child.TearDownFailedFork();
                    throw;
                }
                finally
                {
                    WriteProtectSeqStep(); // raw_write_seqcount_end
                    reservations.ReleaseUnused(Machine.Memory);
                }
            }

            Machine.Trace(VmEventKind.Process, this, 0, null, null, $"forked {child.Name}");
        }

        Machine.AfterOperation();
        return child;
    }

    private void CopyVmas(VmProcess child, ForkReservations reservations)
    {
        foreach (var vma in _vmas)
        {
            if (vma.Has(VmFlags.DontCopy))
                continue;
            var childFlags = vma.Flags & ~VmFlags.UffdWp; // no UFFD_FEATURE_EVENT_FORK: the child is not registered
            var childVma = new VmArea(vma.Start, vma.End, childFlags, vma.File, vma.PgOff, vma.HugetlbOrder) { HugetlbFile = vma.HugetlbFile };
            child.InsertVma(childVma);
            if (vma.Has(VmFlags.WipeOnFork) || (vma.IsShared && !vma.IsHugetlb))
                continue; // wiped, or refaulted from the page cache on demand (vma_needs_copy)
            // copy_pte_range: the child's PTL, then the parent's nested inside it.
            using (child.PageTableLock.Lock())
            using (PageTableLock.Lock(LockNesting.Nested))
                new ForkCopier(this, child, vma, childVma, reservations).Copy();
        }
    }

    /// <summary>
    /// Fork reserves the huge pages its early COW of pinned hugetlb pages needs before it changes anything, so a
    /// failure (ENOMEM) leaves parent and machine untouched. The copy consumes the reservations; if a concurrent
    /// GUP-fast made one more page maybe-pinned in between, that page is allocated without one (and fork fails with
    /// ENOMEM, tearing the child down, when the pool has none left).
    /// </summary>
    private ForkReservations PrepareForkCopies()
    {
        var needed = new Dictionary<int, int>();
        foreach (var vma in _vmas.Where(v => v.IsHugetlb && !v.IsShared && !v.Has(VmFlags.DontCopy) && !v.Has(VmFlags.WipeOnFork)))
        {
            for (var i = 0; i < vma.PageCount; i += 1 << vma.HugetlbOrder)
            {
                if (ReadEntry(vma.Ptes, i).Folio is { } folio && ForkCopier.NeedsCopy(this, folio, 0))
                    needed[vma.HugetlbOrder] = needed.GetValueOrDefault(vma.HugetlbOrder) + 1;
            }
        }

        var reservations = new ForkReservations();
        foreach (var (order, count) in needed)
        {
            if (!Machine.Memory.TryReserveHugetlb(order, count))
            {
                reservations.ReleaseUnused(Machine.Memory);
                throw new OutOfVmMemoryException(null, $"fork: no free huge pages to copy {count} pinned hugetlb page(s) for the child");
            }

            reservations.Add(order, count);
        }

        return reservations;
    }

    /// <summary>dup_mmap failed: exit_mmap on the half-built child (the caller holds its mmap_lock and the anon_vma lock).</summary>
    private void TearDownFailedFork()
    {
        foreach (var vma in _vmas)
            Unmapper.ZapRange(this, vma, 0, vma.PageCount);
        _vmas.Clear();
        LayoutChanged();
        _alive = false;
        Machine.ProcessList.Remove(this);
    }
}
