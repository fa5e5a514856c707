using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>Fork of maybe-pinned pages (copy_present_page / folio_try_dup_anon_rmap) and fork's VMA flags.</summary>
public sealed class ForkRuleTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    public void Fork_copies_a_pinned_page_for_the_child(string era, bool copied)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        using var pins = Gup.PinUserPages(parent, mem, 1, FollFlags.Write);
        Assert.True(parent.HasPinned);
        var child = parent.Fork();
        Assert.Equal(copied, parent.Inspect(mem).Page!.Value.Pfn != child.Inspect(mem).Page!.Value.Pfn);
        Assert.Equal(copied, parent.Inspect(mem).Writable); // the parent's PTE stays writable when the child got a copy
        Assert.Equal(copied, machine.Events.OfKind(VmEventKind.ForkCopy).Any());
    }

    [Fact]
    public void A_page_pinned_in_another_mm_is_shared_when_this_mm_never_pinned()
    {
        // MMF_HAS_PINNED is per mm: pins taken through another process's mm don't make this fork copy.
        var machine = TestMachines.Create(Era.Refcount);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var child = parent.Fork();
        child.WriteByte(mem, 9); // child gets its own page
        using var pins = Gup.PinUserPagesRemote(child, mem, 1, FollFlags.Write);
        Assert.False(parent.HasPinned);
        Assert.True(child.HasPinned);
    }

    [Theory]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    public void Fork_splits_a_pinned_PMD_THP_and_copies_per_page(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        parent.Madvise(mem, PageGeometry.PmdSize, Advice.HugePage);
        parent.Fill(mem, PageGeometry.PmdSize, 1);
        Assert.True(parent.Inspect(mem).PmdMapped);
        using var pins = Gup.PinUserPages(parent, mem, 1, FollFlags.Write);
        var child = parent.Fork();
        Assert.False(parent.Inspect(mem).PmdMapped);
        Assert.NotEqual(parent.Inspect(mem).Page!.Value.Pfn, child.Inspect(mem).Page!.Value.Pfn);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.PmdSplit);
    }

    [Fact]
    public void Fork_fails_cleanly_when_no_huge_page_is_left_for_a_pinned_hugetlb_copy()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(mem, PageGeometry.PmdSize, 1);
        using var pins = Gup.PinUserPages(parent, mem, 1, FollFlags.Write);
        Assert.Throws<OutOfVmMemoryException>(() => parent.Fork());
        Assert.Single(machine.Processes);
        parent.WriteByte(mem, 2);
        Assert.Equal(2, pins.ReadByte(0));
    }

    [Fact]
    public void DontFork_ranges_are_not_copied_and_WipeOnFork_ranges_are_empty_in_the_child()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent, 3 * Size);
        parent.Madvise(mem, Size, Advice.DontFork);
        parent.Madvise(mem + 2 * Size, Size, Advice.WipeOnFork);
        var child = parent.Fork();
        Assert.Throws<SegmentationFaultException>(() => child.ReadByte(mem));
        Assert.Equal(1, child.ReadByte(mem + Size));
        Assert.Equal(0, child.ReadByte(mem + 2 * Size));
        Assert.Equal(1, parent.ReadByte(mem + 2 * Size));
    }

    [Fact]
    public void Fork_write_protects_both_sides_and_clears_AnonExclusive()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        Assert.True(parent.Inspect(mem).Page!.Value.AnonExclusive);
        var child = parent.Fork();
        var page = parent.Inspect(mem);
        Assert.False(page.Writable);
        Assert.False(child.Inspect(mem).Writable);
        Assert.False(page.Page!.Value.AnonExclusive);
        Assert.Equal(2, page.Page.Value.MapCount);
    }
}
