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
        EnsureAlive("fork");
        PrepareForkCopies();
        var child = Machine.AddForkedProcess(pid => new VmProcess(Machine, name ?? Name + "-child", pid));
        child.CopyLayoutFrom(this);
        WriteProtectSeq++; // raw_write_seqcount_begin(&src_mm->write_protect_seq)
        foreach (var vma in _vmas)
        {
            if (vma.Has(VmFlags.DontCopy))
                continue;
            var childFlags = vma.Flags & ~VmFlags.UffdWp; // no UFFD_FEATURE_EVENT_FORK: the child is not registered
            var childVma = new VmArea(vma.Start, vma.End, childFlags, vma.File, vma.PgOff, vma.HugetlbOrder);
            child.InsertVma(childVma);
            if (vma.Has(VmFlags.WipeOnFork) || (vma.IsShared && !vma.IsHugetlb))
                continue; // wiped, or refaulted from the page cache on demand (vma_needs_copy)
            new ForkCopier(this, child, vma, childVma).Copy();
        }

        WriteProtectSeq++;
        Machine.Trace(VmEventKind.Process, this, 0, null, null, $"forked {child.Name}");
        Machine.AfterOperation();
        return child;
    }

    /// <summary>
    /// Fork allocates the huge pages its early COW of pinned hugetlb pages needs before it changes anything, so a
    /// failure (ENOMEM) leaves parent and machine untouched.
    /// </summary>
    private void PrepareForkCopies()
    {
        var needed = new Dictionary<int, int>();
        foreach (var vma in _vmas.Where(v => v.IsHugetlb && !v.IsShared && !v.Has(VmFlags.DontCopy) && !v.Has(VmFlags.WipeOnFork)))
        {
            for (var i = 0; i < vma.PageCount; i += 1 << vma.HugetlbOrder)
            {
                if (vma.Ptes[i].Folio is { } folio && ForkCopier.NeedsCopy(this, folio, 0))
                    needed[vma.HugetlbOrder] = needed.GetValueOrDefault(vma.HugetlbOrder) + 1;
            }
        }

        foreach (var (order, count) in needed)
        {
            if (Machine.Memory.PoolFor(order).Available < count)
                throw new OutOfVmMemoryException(null, $"fork: no free huge pages to copy {count} pinned hugetlb page(s) for the child");
        }
    }
}
