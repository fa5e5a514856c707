using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

/// <summary>The invariant checker catches corrupted state, and a full workload leaves no page behind.</summary>
public sealed class InvariantTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    public void An_unaccounted_reference_is_reported()
    {
        var (machine, process, mem) = Setup();
        var folio = Folio(process, mem);
        folio.RefAdd(1);
        var error = Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
        Assert.Contains("refcount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapcount_that_disagrees_with_the_page_tables_is_reported()
    {
        var (machine, process, mem) = Setup();
        Folio(process, mem).Pages[0].MapCount = 2;
        Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
    }

    [Fact]
    public void A_writable_anonymous_entry_without_AnonExclusive_is_reported()
    {
        var (machine, process, mem) = Setup();
        Folio(process, mem).Pages[0].AnonExclusive = false;
        var error = Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
        Assert.Contains("PageAnonExclusive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_page_that_lost_AnonExclusive_is_reported()
    {
        var (machine, process, mem) = Setup();
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        process.Mprotect(mem, Size, Prot.Read);
        Folio(process, mem).Pages[0].AnonExclusive = false;
        var error = Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
        Assert.Contains("pinned", error.Message, StringComparison.Ordinal);
        Folio(process, mem).Pages[0].AnonExclusive = true;
    }

    [Fact]
    public void A_freed_page_still_mapped_is_reported()
    {
        var (machine, process, mem) = Setup();
        Folio(process, mem).Freed = true;
        Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
    }

    [Fact]
    public void A_writable_entry_on_a_page_mapped_twice_is_reported()
    {
        var (machine, process, mem) = Setup();
        var child = process.Fork();
        child.Areas[0].Ptes[0].Bits |= PteBits.Write;
        Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
    }

    [Fact]
    public void A_folio_freed_while_pinned_is_reported_when_it_is_freed()
    {
        var (machine, process, mem) = Setup();
        machine.LruAddDrain(); // so munmap's put is the last one
        var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        // A planted model bug: the pin's GUP_PIN_COUNTING_BIAS dropped without the pin, so munmap's put frees the folio.
        Folio(process, mem).RefAdd(-VmModel.Folio.GupPinCountingBias);
        var error = Assert.Throws<InvariantViolationException>(() => process.Munmap(mem, Size));
        Assert.Contains("freed while 0 GUP references and 1 pins", error.Message, StringComparison.Ordinal);
        GC.KeepAlive(pins);
    }

    [Fact]
    [WrongSideCowOk("the reference only has to exist when the planted bug frees the folio")]
    public void A_folio_freed_while_referenced_by_GUP_is_reported_when_it_is_freed()
    {
        var (machine, process, mem) = Setup();
        machine.LruAddDrain(); // so munmap's put is the last one
        var references = Gup.GetUserPages(process, mem, 1, FollFlags.None);
        Folio(process, mem).RefAdd(-1);
        var error = Assert.Throws<InvariantViolationException>(() => process.Munmap(mem, Size));
        Assert.Contains("freed while 1 GUP references and 0 pins", error.Message, StringComparison.Ordinal);
        GC.KeepAlive(references);
    }

    [Fact]
    public void A_large_folio_freed_while_pinned_is_reported_when_it_is_freed()
    {
        var machine = new Machine(new MachineOptions { Era = Era.AnonExclusive, HugetlbPages2M = 1 });
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        process.Fill(mem, PageGeometry.PmdSize, 1);
        var pins = Gup.PinUserPages(process, mem + 3 * Size, 2, FollFlags.Write | FollFlags.Longterm);
        Assert.True(Folio(process, mem).IsLarge);
        Folio(process, mem).RefAdd(-2); // the two pins' references, dropped without the pins
        var error = Assert.Throws<InvariantViolationException>(() => process.Munmap(mem, PageGeometry.PmdSize));
        Assert.Contains("freed while 0 GUP references and 2 pins", error.Message, StringComparison.Ordinal);
        GC.KeepAlive(pins);
    }

    [Fact]
    public void A_pin_ledger_that_disagrees_with_the_refcount_is_reported()
    {
        var (machine, process, mem) = Setup();
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        var folio = Folio(process, mem);
        folio.RefAdd(-VmModel.Folio.GupPinCountingBias);
        var error = Assert.Throws<InvariantViolationException>(machine.CheckInvariants);
        Assert.Contains("refcount", error.Message, StringComparison.Ordinal);
        folio.RefAdd(VmModel.Folio.GupPinCountingBias);
        machine.CheckInvariants();
    }

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("ForcedCowGup")]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    [WrongSideCowOk("the workload mixes every kind of reference to check the accounting, not COW correctness")]
    public void A_mixed_workload_keeps_every_invariant_and_leaks_nothing(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era), hugetlb2M: 3);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(4 * PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        parent.Madvise(mem, 2 * PageGeometry.PmdSize, Advice.HugePage);
        parent.Fill(mem, 3 * PageGeometry.PmdSize, 7);
        var huge = parent.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(huge, PageGeometry.PmdSize, 3);
        var file = machine.CreateMemfd("data");
        file.Fallocate(0, 4 * Size);
        var shared = parent.Mmap(4 * Size, Prot.Read | Prot.Write, MapFlags.Shared, file);
        parent.WriteByte(shared, 1);
        var pipe = machine.CreatePipe();
        parent.Vmsplice(pipe, mem + 3, 3 * Size);
        var pins = Gup.PinUserPagesFast(parent, mem + PageGeometry.PmdSize, 4, FollFlags.Write | FollFlags.Longterm);
        var child = parent.Fork();
        child.Fill(mem, 2 * Size, 9);
        parent.Madvise(mem + 2 * PageGeometry.PmdSize, PageGeometry.PmdSize, Advice.PageOut);
        child.Madvise(mem + 3 * PageGeometry.PmdSize, PageGeometry.PmdSize, Advice.DontNeed);
        parent.Mprotect(mem + 5 * Size, Size, Prot.Read);
        parent.Madvise(mem, Size, Advice.Mergeable);
        machine.KsmScan();
        child.ClearSoftDirty();
        child.WriteByte(huge, 4);
        var grandchild = child.Fork();
        grandchild.Fill(mem + 2 * PageGeometry.PmdSize, 2 * Size, 5);
        Assert.Equal(7, parent.ReadByte(mem + 2 * PageGeometry.PmdSize));
        pipe.ReadAll();
        Gup.UnpinUserPages(pins, makeDirty: true);
        grandchild.Exit();
        child.Exit();
        parent.Exit();
        machine.LruAddDrain();
        Assert.Equal(file.Size / Size, machine.LiveFolioCount);
        Assert.Equal(0, machine.SwapPagesUsed);
        Assert.Equal(3, machine.HugetlbPool2M.Free);
    }

    private static Folio Folio(VmProcess process, ulong mem) => process.FindVma(mem)!.PteAt(mem).Folio!;

    private static (Machine Machine, VmProcess Process, ulong Mem) Setup()
    {
        var machine = new Machine(new MachineOptions { Era = Era.AnonExclusive });
        var process = machine.CreateProcess("p");
        return (machine, process, TestMachines.BasePage(process));
    }
}
