using System.Buffers.Binary;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>Steps on the root's children (isolation, GUP, fork, exit) and on the scratch region (layout churn).</summary>
internal sealed partial class StressWorker
{
    private void ChildVerify()
    {
        if (_root.Children.Pick(_random) is { } child)
            CheckSnapshot(child, child.Process);
    }

    [WrongSideCowOk("references on a child nobody writes: whatever side of a COW they end up on, the bytes are the child's")]
    private void ChildGup()
    {
        if (_root.Children.Pick(_random) is not { } child)
            return;
        var page = RandomPage();
        var start = _root.OwnedPages[page];
        var flags = _random.Next(2) == 0 ? FollFlags.Write : FollFlags.None;
        using PageReferenceHandle handle = _random.Next(4) switch
        {
            0 => Gup.GetUserPagesRemote(child.Process, start, 1, flags),
            1 => Gup.GetUserPagesFast(child.Process, start, 1, flags),
            2 => Gup.PinUserPagesRemote(child.Process, start, 1, flags | FollFlags.Longterm),
            _ => Gup.PinUserPagesFast(child.Process, start, 1, flags | FollFlags.Longterm),
        };
        for (var o = 0; o < Ledger.Owners; o++)
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(handle.ReadBytes(o * StressRoot.SlotStride, 4));
            var expected = child.Snapshot[o * Ledger.Pages + page];
            Check(value == expected, $"a reference on child {child.Process.Name} page {page} reads {value} for owner {o}, the child holds {expected}");
        }
    }

    private void ChildFork()
    {
        if (!_root.Children.HasRoom || _root.Children.Pick(_random) is not { } child)
            return;
        var grandchild = child.Process.Fork($"{child.Process.Name}-g{_owner}.{_iterations}");
        _root.Children.Add(new StressChild(grandchild, _root, child.Snapshot));
        CheckSnapshot(child, grandchild);
    }

    private void ChildExit()
    {
        if (_root.Children.TakeForExit(_random) is not { } child)
            return;
        CheckSnapshot(child, child.Process);
        child.Process.Exit();
    }

    /// <summary>Isolation: a child's slots never change after its fork, whatever its parent and the devices do.</summary>
    private void CheckSnapshot(StressChild child, VmProcess process)
    {
        var now = _root.ReadAllSlots(process);
        for (var i = 0; i < now.Length; i++)
            Check(now[i] == child.Snapshot[i], $"{process.Name} reads {now[i]} in slot {i}, inherited {child.Snapshot[i]}: a post-fork write leaked into it");
    }

    private ulong RandomScratchPage() => _root.Scratch + (ulong)_random.Next(StressRoot.ScratchPages) * PageGeometry.PageSize;

    private int ScratchSpan() => (1 + _random.Next(2)) * PageGeometry.PageSize;

    private void ScratchWrite() =>
        Process.WriteByte(RandomScratchPage() + (ulong)_random.Next(PageGeometry.PageSize), (byte)(_owner + 1));

    private void ScratchRead()
    {
        var value = Process.ReadByte(RandomScratchPage() + (ulong)_random.Next(PageGeometry.PageSize));
        Check(value <= Ledger.Owners, $"scratch reads {value}, which none of the threads writes");
    }

    private void ScratchDontNeed() => Process.Madvise(RandomScratchPage(), (ulong)PageGeometry.PageSize, Advice.DontNeed);

    private void ScratchRemap()
    {
        var start = RandomScratchPage();
        var length = (ulong)Math.Min(ScratchSpan(), (int)(_root.Scratch + StressRoot.ScratchPages * (ulong)PageGeometry.PageSize - start));
        Process.Munmap(start, length);
        Process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, address: start);
    }

    private void ScratchProtect()
    {
        var start = RandomScratchPage();
        Process.Mprotect(start, PageGeometry.PageSize, Prot.Read);
        Process.Mprotect(start, PageGeometry.PageSize, Prot.Read | Prot.Write);
    }

    [WrongSideCowOk("references on scratch memory that other threads unmap and write-protect; only the bytes' origin is checked")]
    private void ScratchGup()
    {
        var start = RandomScratchPage();
        var write = _random.Next(2) == 0 ? FollFlags.Write : FollFlags.None;
        using PageReferenceHandle handle = _random.Next(4) switch
        {
            0 => Gup.GetUserPagesFast(Process, start, 1, write),
            1 => Gup.GetUserPages(Process, start, 1, write == FollFlags.Write ? FollFlags.Write : FollFlags.BreakCow),
            2 => Gup.PinUserPagesFast(Process, start, 1, write | FollFlags.Longterm),
            _ => Gup.PinUserPages(Process, start, 1, write),
        };
        var value = handle.ReadByte(_random.Next(PageGeometry.PageSize));
        Check(value <= Ledger.Owners, $"a reference on scratch reads {value}, which none of the threads writes");
    }
}
