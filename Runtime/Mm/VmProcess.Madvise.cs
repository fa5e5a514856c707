namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>
    /// madvise(2) for the advices in <see cref="Advice"/>. Like madvise_lock's get_lock_mode, MADV_DONTNEED and
    /// MADV_PAGEOUT only read the VMA list and take mmap_lock for read (they run alongside faults of other threads and
    /// rely on the PTL); MADV_COLLAPSE takes it for write (collapse_huge_page's mmap_write_lock); the advices that
    /// change vm_flags take it for write.
    /// </summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    /// <param name="advice">The advice.</param>
    public void Madvise(ulong address, ulong length, Advice advice)
    {
        using (Machine.EnterOperation())
        {
            if (advice is Advice.DontNeed or Advice.PageOut)
            {
                using (MmapLock.Read())
                    MadviseReadLocked(address, length, advice);
            }
            else
            {
                using (MmapWrite())
                    MadviseWriteLocked(address, length, advice);
            }
        }

        Machine.AfterOperation();
    }

    private void MadviseReadLocked(ulong address, ulong length, Advice advice)
    {
        EnsureAlive("madvise");
        CheckRangeArguments(address, ref length);
        foreach (var vma in VmasIn(address, length))
        {
            var (first, count) = Window(vma, address, length);
            if (advice == Advice.PageOut)
            {
                Machine.Swapper.PageOut(this, vma, first, count);
                continue;
            }

            if (vma.IsHugetlb)
                CheckHugeAligned(vma, first, count);
            Unmapper.ZapRange(this, vma, first, count);
        }
    }

    private void MadviseWriteLocked(ulong address, ulong length, Advice advice)
    {
        EnsureAlive("madvise");
        CheckRangeArguments(address, ref length);
        if (advice == Advice.Collapse)
            Collapser.Collapse(this, address, length);
        else
            ChangeVmFlags(address, length, advice);
    }

    private void ChangeVmFlags(ulong address, ulong length, Advice advice)
    {
        var (set, clear) = advice switch
        {
            Advice.DontFork => (VmFlags.DontCopy, VmFlags.None),
            Advice.DoFork => (VmFlags.None, VmFlags.DontCopy),
            Advice.WipeOnFork => (VmFlags.WipeOnFork, VmFlags.None),
            Advice.KeepOnFork => (VmFlags.None, VmFlags.WipeOnFork),
            Advice.Mergeable => (VmFlags.Mergeable, VmFlags.None),
            Advice.Unmergeable => (VmFlags.None, VmFlags.Mergeable),
            Advice.HugePage => (VmFlags.HugePage, VmFlags.NoHugePage),
            Advice.NoHugePage => (VmFlags.NoHugePage, VmFlags.HugePage),
            _ => throw new InvalidVmArgumentException(address, $"EINVAL: unknown advice {advice}"),
        };
        var areas = SplitToRange(address, length, requireMapped: true);
        if (advice == Advice.WipeOnFork && areas.Any(v => v.IsShared || !v.IsAnonymous))
            throw new InvalidVmArgumentException(address, "EINVAL: MADV_WIPEONFORK only applies to private anonymous memory");
        if (advice is Advice.DontFork or Advice.DoFork && areas.Any(v => v.IsHugetlb))
            CheckHugetlbForkAdvice(areas, address);
        foreach (var vma in areas)
            vma.Flags = (vma.Flags | set) & ~clear;
        MergeAdjacentVmas();
    }

    private static void CheckHugetlbForkAdvice(List<VmArea> areas, ulong address)
    {
        foreach (var vma in areas.Where(v => v.IsHugetlb))
            CheckHugeAligned(vma, 0, vma.PageCount, address);
    }

    private static void CheckHugeAligned(VmArea vma, int first, int count, ulong? address = null)
    {
        var pages = 1 << vma.HugetlbOrder;
        if (first % pages != 0 || count % pages != 0)
            throw new InvalidVmArgumentException(address ?? vma.AddressOf(first), "EINVAL: hugetlb range is not huge page aligned");
    }

    /// <summary>The VMAs covering [address, address + length) in order; ENOMEM if any part of the range is unmapped.</summary>
    internal List<VmArea> VmasIn(ulong address, ulong length)
    {
        var end = address + length;
        var cursor = address;
        var areas = new List<VmArea>(1);
        while (cursor < end)
        {
            var vma = FindVma(cursor) ?? throw new OutOfVmMemoryException(cursor, "ENOMEM: part of the range is not mapped");
            areas.Add(vma);
            cursor = vma.End;
        }

        return areas;
    }

    internal static (int First, int Count) Window(VmArea vma, ulong address, ulong length)
    {
        var start = Math.Max(address, vma.Start);
        var end = Math.Min(address + length, vma.End);
        return (vma.IndexOf(start), (int)((end - start) >> PageGeometry.PageShift));
    }
}
