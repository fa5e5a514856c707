using Xunit;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// Deterministic interleavings of GUP-fast with other threads, through the machine's GupFastRaceHook: it runs on the
/// GUP-fast thread after an entry was read and its folio grabbed, before the re-check — the window 57efa1fe5957 closes.
/// </summary>
public sealed class GupFastRaceTests
{
    private const int Size = TestMachines.PageSize;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Eras => new(Era.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Eras))]
    public void A_fork_between_reading_an_entry_and_re_checking_it_makes_gup_fast_unpin_and_fall_back(string eraName)
    {
        var machine = TestMachines.Create(TestMachines.EraNamed(eraName));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent, 2 * Size);
        machine.Events.Clear();
        OtherThread<VmProcess>? fork = null;
        machine.GupFastRaceHook = (mm, address) =>
        {
            if (address != mem + Size || fork is not null)
                return;
            // Another thread forks while this one holds page 0's pin and page 1's grabbed reference. GUP-fast holds
            // no mmap_lock, so the fork runs to its raw_write_seqcount_end; it cannot finish (its invariant check
            // waits for this operation), so wait for the seqcount instead of the task.
            var before = parent.WriteProtectSeq;
            fork = OtherThread<VmProcess>.Start(() => parent.Fork("child"));
            Assert.True(SpinWait.SpinUntil(() => parent.WriteProtectSeq == before + 2, Patience), "fork did not run");
        };

        using var pins = Gup.PinUserPagesFast(parent, mem, 2, FollFlags.Write | FollFlags.Longterm);
        machine.GupFastRaceHook = null;
        Assert.NotNull(fork);
        Assert.True(fork.Join(Patience));
        var child = fork.Result;

        var fallback = Assert.Single(machine.Events.OfKind(VmEventKind.GupFastFallback));
        Assert.Equal(mem, fallback.Address);
        Assert.Equal("write_protect_seq changed: raced with fork", fallback.Detail);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.Unpin && e.Address == mem); // gup_fast_unpin_user_pages
        Assert.Equal(2, machine.Events.Count(e => e.Kind == VmEventKind.Pin && e.Detail != "fast")); // the slow path

        // B11: the pins stay the parent's pages, and the child never sees what the device writes.
        pins.Write(0, [0x55]);
        pins.Write(Size, [0x66]);
        Assert.Equal(0x55, parent.ReadByte(mem));
        Assert.Equal(0x66, parent.ReadByte(mem + Size));
        Assert.Equal(1, child.ReadByte(mem));
        Assert.Equal(1, child.ReadByte(mem + Size));
        Assert.Equal(parent.Inspect(mem).Page!.Value.Pfn, pins.PageFrameNumber(0));
        Assert.Equal(parent.Inspect(mem + Size).Page!.Value.Pfn, pins.PageFrameNumber(1));
        Assert.NotEqual(child.Inspect(mem).Page!.Value.Pfn, pins.PageFrameNumber(0));
    }

    [Fact]
    public void A_zap_between_reading_an_entry_and_re_checking_it_makes_gup_fast_drop_the_page()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, lruBatch: 0);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        var vma = process.FindVma(mem)!;
        OtherThread<bool>? zap = null;
        machine.GupFastRaceHook = (mm, address) =>
        {
            if (zap is not null)
                return;
            // MADV_DONTNEED takes mmap_lock for read only; it zaps the entry while GUP-fast holds a reference. (Its
            // invariant check then waits for this operation, so wait for the entry, not for the thread.)
            zap = OtherThread<bool>.Start(() =>
            {
                process.Madvise(mem, Size, Advice.DontNeed);
                return true;
            });
            Assert.True(SpinWait.SpinUntil(() => process.ReadEntry(vma.Ptes, 0).IsNone, Patience), "the zap did not run");
        };

        using var pins = Gup.PinUserPagesFast(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        machine.GupFastRaceHook = null;
        Assert.NotNull(zap);
        Assert.True(zap.Join(Patience));
        Assert.True(zap.Result);

        Assert.Equal("pte changed under gup_fast", Assert.Single(machine.Events.OfKind(VmEventKind.GupFastFallback)).Detail);
        // The zapped page died when GUP-fast dropped its reference; the slow path pinned a fresh page.
        Assert.Single(machine.Events.OfKind(VmEventKind.Free));
        Assert.Equal(process.Inspect(mem).Page!.Value.Pfn, pins.PageFrameNumber(0));
        pins.Write(0, [7]);
        Assert.Equal(7, process.ReadByte(mem));
    }

    [Fact]
    public void An_invariant_check_waits_for_the_operation_in_flight()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var inWindow = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        machine.GupFastRaceHook = (_, _) =>
        {
            inWindow.Set();
            Assert.True(release.Wait(Patience));
        };
        var gup = OtherThread<PageReferences>.Start(() => Gup.GetUserPagesFast(process, mem, 1, FollFlags.Write));
        Assert.True(inWindow.Wait(Patience));

        var check = OtherThread<bool>.Start(() =>
        {
            machine.CheckInvariants();
            return true;
        });
        Assert.False(check.Join(TimeSpan.FromMilliseconds(200)), "the check ran while GUP-fast held a grabbed, unaccounted reference");
        release.Set();
        Assert.True(gup.Join(Patience));
        Assert.True(check.Join(Patience));
        Assert.True(check.Result);
        machine.GupFastRaceHook = null;
        Gup.PutPages(gup.Result);
    }

    [Fact]
    public void Folio_try_get_never_resurrects_a_folio_whose_last_reference_is_gone()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var folio = machine.Memory.Allocate(0, FolioKind.Anon, 0);
        Assert.False(folio.TryGet(1));
        folio.SetRefCount(1);
        Assert.True(folio.TryGet(Folio.GupPinCountingBias));
        Assert.Equal(1 + Folio.GupPinCountingBias, folio.RefCount);
    }
}
