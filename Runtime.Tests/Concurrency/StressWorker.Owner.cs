using System.Buffers.Binary;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>Steps on the owner region: writes and reads of the thread's own slots, pins, references, vmsplice, swap.</summary>
internal sealed partial class StressWorker
{
    private SlotLedger Ledger => _root.Ledger;

    private VmProcess Process => _root.Process;

    private int RandomPage() => _random.Next(_root.OwnedPages.Length);

    private ulong SlotOf(int page) => StressRoot.SlotAddress(_root.OwnedPages[page], _owner);

    private void Write()
    {
        var page = RandomPage();
        var value = Ledger.Begin(_owner, page);
        StressRoot.WriteSlot(Process, SlotOf(page), value);
        Ledger.Complete(_owner, page, value);
    }

    /// <summary>Only this thread writes its slot, so the process must read back exactly its last write.</summary>
    private void ReadOwn()
    {
        var page = RandomPage();
        var value = StressRoot.ReadSlot(Process, SlotOf(page));
        Check(value == Ledger.Completed(_owner, page), $"lost update: own slot on page {page} reads {value}, last write was {Ledger.Completed(_owner, page)}");
    }

    /// <summary>Every owner's slot of a page lies between its last completed write before the read and its last started one after.</summary>
    private void ReadPage()
    {
        var page = RandomPage();
        var before = Enumerable.Range(0, Ledger.Owners).Select(o => Ledger.Completed(o, page)).ToArray();
        var bytes = new byte[PageGeometry.PageSize];
        Process.Read(_root.OwnedPages[page], bytes);
        for (var o = 0; o < Ledger.Owners; o++)
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(o * StressRoot.SlotStride));
            var after = Ledger.Started(o, page);
            Check(value >= before[o] && value <= after, $"page {page}: owner {o}'s slot reads {value}, outside [{before[o]}, {after}] (lost update or a value nobody wrote)");
        }
    }

    private void PinWrite()
    {
        if (_held.Count >= MaxHeldPins)
            return;
        var page = RandomPage();
        const FollFlags flags = FollFlags.Write | FollFlags.Longterm;
        var start = _root.OwnedPages[page];
        var pins = _random.Next(3) switch
        {
            0 => Gup.PinUserPages(Process, start, 1, flags),
            1 => Gup.PinUserPagesFast(Process, start, 1, flags),
            _ => Gup.PinUserPagesRemote(Process, start, 1, flags),
        };
        Hold(new HeldPin(pins, page, Write: true));
    }

    /// <summary>
    /// pin_user_pages_fast over all base owner pages at once: the longer lockless walk is where fork's
    /// write_protect_seq is most often caught changing. Every page pinned must hold this thread's last write.
    /// </summary>
    private void PinFastRange()
    {
        using var pins = Gup.PinUserPagesFast(Process, _root.OwnedPages[0], StressRoot.BasePages, FollFlags.Write | FollFlags.Longterm);
        for (var page = 0; page < StressRoot.BasePages; page++)
        {
            var device = BinaryPrimitives.ReadUInt32LittleEndian(pins.ReadBytes((long)page * PageGeometry.PageSize + _owner * StressRoot.SlotStride, 4));
            Check(device == Ledger.Completed(_owner, page), $"a fast write pin of page {page} reads {device}, the process last wrote {Ledger.Completed(_owner, page)}");
        }

        Gup.UnpinUserPages(pins, makeDirty: true);
    }

    [WrongSideCowOk("a R/O long-term pin: 5.19+ unshares it (gup_must_unshare), which the coherence check verifies")]
    private void PinRead()
    {
        if (_held.Count >= MaxHeldPins)
            return;
        var page = RandomPage();
        var start = _root.OwnedPages[page];
        var pins = _random.Next(2) == 0
            ? Gup.PinUserPagesFast(Process, start, 1, FollFlags.Longterm)
            : Gup.PinUserPages(Process, start, 1, FollFlags.Longterm);
        Hold(new HeldPin(pins, page, Write: false));
    }

    private void Hold(HeldPin held)
    {
        _held.Add(held);
        CheckCoherent(held);
    }

    /// <summary>A write pin is a DMA target: the device's write must be what the process reads, and the other way round.</summary>
    private void UseHeldPin()
    {
        if (_held.Count == 0)
            return;
        var held = _held[_random.Next(_held.Count)];
        if (held.Write)
        {
            Span<byte> bytes = stackalloc byte[4];
            var value = Ledger.Begin(_owner, held.Page);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
            held.Handle.Write(_owner * StressRoot.SlotStride, bytes);
            Ledger.Complete(_owner, held.Page, value);
            var seen = StressRoot.ReadSlot(Process, SlotOf(held.Page));
            Check(seen == value, $"write pin on page {held.Page} incoherent: the device wrote {value}, the process reads {seen}");
        }

        CheckCoherent(held);
    }

    private void ReleaseRandomHeldPin()
    {
        if (_held.Count > 0)
            ReleaseHeldPin(_held[_random.Next(_held.Count)]);
    }

    private void ReleaseHeldPin(HeldPin held)
    {
        CheckCoherent(held);
        _held.Remove(held);
        Gup.UnpinUserPages(held.Handle, makeDirty: held.Write);
    }

    private void CheckCoherent(HeldPin held)
    {
        if (!held.Write && !_context.ReadOnlyPinsCoherent)
            return;
        var device = BinaryPrimitives.ReadUInt32LittleEndian(held.Handle.ReadBytes(_owner * StressRoot.SlotStride, 4));
        var process = Ledger.Completed(_owner, held.Page);
        Check(device == process, $"{(held.Write ? "write" : "R/O")} pin on page {held.Page} incoherent: the device reads {device}, the process last wrote {process}");
    }

    [WrongSideCowOk("FOLL_GET references promise nothing; the step takes and drops them to race the other threads' faults and forks")]
    private void GetPut()
    {
        var page = RandomPage();
        var start = _root.OwnedPages[page];
        var flags = _random.Next(2) == 0 ? FollFlags.Write : FollFlags.None;
        using var references = _random.Next(3) switch
        {
            0 => Gup.GetUserPages(Process, start, 1, flags),
            1 => Gup.GetUserPagesFast(Process, start, 1, flags),
            _ => Gup.GetUserPagesRemote(Process, start, 1, flags),
        };
        var value = BinaryPrimitives.ReadUInt32LittleEndian(references.ReadBytes(_owner * StressRoot.SlotStride, 4));
        Check(value <= Ledger.Started(_owner, page), $"a reference on page {page} reads {value}, which was never written");
    }

    [WrongSideCowOk("vmsplice never breaks COW; the pipe may read an older copy of the page, never a value nobody wrote")]
    private void Vmsplice()
    {
        var page = RandomPage();
        Process.Vmsplice(_pipe, SlotOf(page), 4);
        var bytes = _pipe.ReadAll();
        Check(bytes.Length == 4, $"vmsplice of 4 bytes gave the pipe {bytes.Length}");
        var value = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        Check(value <= Ledger.Started(_owner, page), $"the pipe read {value} from page {page}, which was never written");
    }

    private void PageOut()
    {
        var page = RandomPage();
        Process.Madvise(_root.OwnedPages[page], PageGeometry.PageSize, Advice.PageOut);
    }

    /// <summary>
    /// fork: the child must hold, in every slot, a value no older than what was complete when fork began and no newer
    /// than what had started when it returned (fork holds mmap_lock for write, so no CPU store straddles it).
    /// </summary>
    private void Fork()
    {
        if (!_root.Children.HasRoom)
            return;
        var before = Ledger.SnapshotCompleted();
        var child = Process.Fork($"{Process.Name}-c{_owner}.{_iterations}");
        var after = Ledger.SnapshotStarted();
        var snapshot = _root.ReadAllSlots(child);
        for (var i = 0; i < snapshot.Length; i++)
            Check(snapshot[i] >= before[i] && snapshot[i] <= after[i], $"child {child.Name} inherited {snapshot[i]} in slot {i}, outside [{before[i]}, {after[i]}]");
        _root.Children.Add(new StressChild(child, _root, snapshot));
    }

    [WrongSideCowOk("R/O FOLL_GET on another process's memory, like process_vm_readv; only checked for values nobody wrote")]
    private void RemoteRead()
    {
        var other = _context.Roots[_random.Next(_context.Roots.Count)];
        var page = _random.Next(other.OwnedPages.Length);
        using var references = Gup.GetUserPagesRemote(other.Process, other.OwnedPages[page], 1, FollFlags.None);
        for (var o = 0; o < other.Ledger.Owners; o++)
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(references.ReadBytes(o * StressRoot.SlotStride, 4));
            Check(value <= other.Ledger.Started(o, page), $"{other.Process.Name} page {page}: owner {o}'s slot reads {value}, which was never written");
        }
    }
}
