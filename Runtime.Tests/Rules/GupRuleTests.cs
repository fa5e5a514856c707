using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>GUP behaviour per era: forced COW (5.8), gup_must_unshare (5.19+), GUP-fast fall-back, follow_page.</summary>
public sealed class GupRuleTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    [WrongSideCowOk("the test checks that 5.8 turns a read GUP into a COW break")]
    public void ForcedCowGup_turns_a_read_reference_into_a_COW_break()
    {
        var machine = TestMachines.Create(Era.ForcedCowGup);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var child = parent.Fork();
        var shared = parent.Inspect(mem).Page!.Value.Pfn;
        using var reference = Gup.GetUserPagesFast(child, mem, 1, FollFlags.None);
        Assert.NotEqual(shared, reference.PageFrameNumber(0));
        Assert.Equal(reference.PageFrameNumber(0), child.Inspect(mem).Page!.Value.Pfn);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.ForcedCowBreak);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.GupFastFallback && e.Detail.Contains("FOLL_WRITE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void A_R_O_pin_of_a_shared_page_unshares_only_in_the_AnonExclusive_era(string era, bool unshared)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Fork();
        var shared = parent.Inspect(mem).Page!.Value.Pfn;
        using var pins = PinReadOnly(parent, mem);
        Assert.Equal(unshared, pins.PageFrameNumber(0) != shared);
        Assert.Equal(unshared, machine.Events.OfKind(VmEventKind.Unshare).Any());
        Assert.False(parent.Inspect(mem).Writable); // unsharing keeps the PTE read-only
    }

    [Fact]
    [WrongSideCowOk("the test checks that FOLL_GET never unshares, even in the AnonExclusive era")]
    public void A_R_O_FOLL_GET_never_unshares()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Fork();
        var shared = parent.Inspect(mem).Page!.Value.Pfn;
        using var reference = Gup.GetUserPages(parent, mem, 1, FollFlags.None);
        Assert.Equal(shared, reference.PageFrameNumber(0));
    }

    [Fact]
    public void BreakCow_unshares_without_making_the_pte_writable()
    {
        var machine = TestMachines.Create(Era.Refcount);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var child = parent.Fork();
        using var reference = Gup.GetUserPages(parent, mem, 1, FollFlags.BreakCow);
        Assert.NotEqual(child.Inspect(mem).Page!.Value.Pfn, reference.PageFrameNumber(0));
        Assert.False(parent.Inspect(mem).Writable);
        child.Fill(mem, Size, 0xee);
        Assert.Equal(1, reference.ReadByte(0));
    }

    [Fact]
    public void GUP_fast_falls_back_when_the_pte_is_not_present()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.WriteByte(mem, 1);
        using var pins = Gup.PinUserPagesFast(process, mem, 2, FollFlags.Write);
        var fallback = Assert.Single(machine.Events.OfKind(VmEventKind.GupFastFallback));
        Assert.Equal(mem + Size, fallback.Address);
        Assert.Equal("pte not present", fallback.Detail);
    }

    [Fact]
    public void A_R_O_longterm_pin_unshares_the_zero_page_in_a_COW_mapping()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.ReadByte(mem);
        Assert.True(process.Inspect(mem).ZeroPage);
        using var pins = PinReadOnly(process, mem);
        Assert.False(process.Inspect(mem).ZeroPage);
        process.WriteByte(mem, 4);
        Assert.Equal(4, pins.ReadByte(0));
    }

    [Fact]
    public void Pinning_sets_MMF_HAS_PINNED_and_pincount_accounting_uses_the_bias_for_small_folios()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, lruBatch: 0);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        var page = process.Inspect(mem).Page!.Value;
        Assert.Equal(1 + 1024, page.RefCount);
        Assert.Equal(1, page.PinCount);
        Gup.UnpinUserPages(pins, makeDirty: true);
        Assert.Equal(1, process.Inspect(mem).Page!.Value.RefCount);
        Assert.True(process.HasPinned);
    }

    [Fact]
    public void Large_folios_count_pins_exactly()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Madvise(mem, PageGeometry.PmdSize, Advice.HugePage);
        process.WriteByte(mem, 1);
        using var pins = Gup.PinUserPages(process, mem, 2, FollFlags.Write);
        var page = process.Inspect(mem).Page!.Value;
        Assert.Equal(2, page.PinCount);
        Assert.Equal(3, page.RefCount);
    }

    [Fact]
    [WrongSideCowOk("follow_page is a lookup; the test checks it never faults")]
    public void Follow_page_never_faults()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Assert.Null(Gup.FollowPage(process, mem, FollFlags.None));
        process.WriteByte(mem, 3);
        using var reference = Gup.FollowPage(process, mem, FollFlags.None);
        Assert.NotNull(reference);
        Assert.Equal(3, reference.ReadByte(0));
    }

    [Fact]
    public void Force_writes_into_a_private_read_only_mapping_through_a_COW()
    {
        foreach (var era in Era.All)
        {
            var machine = TestMachines.Create(era);
            var parent = machine.CreateProcess("debuggee");
            var mem = TestMachines.BasePage(parent);
            parent.Mprotect(mem, Size, Prot.Read);
            var child = parent.Fork();
            using (var pins = Gup.PinUserPagesRemote(parent, mem, 1, FollFlags.Write | FollFlags.Force))
                pins.Write(0, [0x42]);
            Assert.Equal(0x42, parent.ReadByte(mem));
            Assert.Equal(0x01, child.ReadByte(mem));
            Assert.False(parent.Inspect(mem).Writable);
        }
    }

    [WrongSideCowOk("R/O long-term pins are what the unshare rules are about")]
    private static PinnedPages PinReadOnly(VmProcess process, ulong mem) =>
        Gup.PinUserPages(process, mem, 1, FollFlags.Longterm);
}
