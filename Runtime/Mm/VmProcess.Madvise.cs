namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>madvise(2) for the advices in <see cref="Advice"/>.</summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    /// <param name="advice">The advice.</param>
    public void Madvise(ulong address, ulong length, Advice advice)
    {
        EnsureAlive("madvise");
        CheckRangeArguments(address, ref length);
        switch (advice)
        {
            case Advice.DontNeed:
                foreach (var vma in VmasIn(address, length))
                {
                    var (first, count) = Window(vma, address, length);
                    if (vma.IsHugetlb)
                        CheckHugeAligned(vma, first, count);
                    Unmapper.ZapRange(this, vma, first, count);
                }

                break;
            case Advice.PageOut:
                foreach (var vma in VmasIn(address, length))
                {
                    var (first, count) = Window(vma, address, length);
                    Machine.Swapper.PageOut(this, vma, first, count);
                }

                break;
            case Advice.Collapse:
                Collapser.Collapse(this, address, length);
                break;
            default:
                ChangeVmFlags(address, length, advice);
                break;
        }

        Machine.AfterOperation();
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

    internal List<VmArea> VmasIn(ulong address, ulong length)
    {
        var end = address + length;
        var cursor = address;
        while (cursor < end)
        {
            var vma = FindVma(cursor) ?? throw new OutOfVmMemoryException(cursor, "ENOMEM: part of the range is not mapped");
            cursor = vma.End;
        }

        return _vmas.Where(v => v.Start < end && v.End > address).ToList();
    }

    internal static (int First, int Count) Window(VmArea vma, ulong address, ulong length)
    {
        var start = Math.Max(address, vma.Start);
        var end = Math.Min(address + length, vma.End);
        return (vma.IndexOf(start), (int)((end - start) >> PageGeometry.PageShift));
    }
}
