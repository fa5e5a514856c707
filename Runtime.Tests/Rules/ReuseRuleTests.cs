using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>§1 of the reference: the do_wp_page reuse decision of each era.</summary>
public sealed class ReuseRuleTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("ForcedCowGup")]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    public void After_the_child_exits_the_parent_reuses_its_page(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era), lruBatch: 0);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var pfn = parent.Inspect(mem).Page!.Value.Pfn;
        parent.Fork().Exit();
        parent.WriteByte(mem, 2);
        Assert.Equal(pfn, parent.Inspect(mem).Page!.Value.Pfn);
        Assert.Single(machine.Events.OfKind(VmEventKind.Reuse));
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", false)]
    [WrongSideCowOk("the test holds a R/O reference on purpose to show that the mapcount rule ignores it")]
    public void A_gup_reference_blocks_reuse_only_from_the_refcount_era_on(string era, bool reused)
    {
        var machine = TestMachines.Create(Era.Parse(era), lruBatch: 0);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var pfn = parent.Inspect(mem).Page!.Value.Pfn;
        parent.Fork().Exit();
        using var reference = Gup.GetUserPages(parent, mem, 1, FollFlags.None);
        parent.WriteByte(mem, 2);
        Assert.Equal(reused, parent.Inspect(mem).Page!.Value.Pfn == pfn);
    }

    [Fact]
    public void AnonExclusive_pages_are_reused_whatever_their_refcount()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.Mprotect(mem, Size, Prot.Read);
        process.Mprotect(mem, Size, Prot.Read | Prot.Write);
        Assert.True(process.Inspect(mem).Writable); // can_change_pte_writable: exclusive anon page
        process.ClearSoftDirty();
        process.WriteByte(mem, 7);
        Assert.Equal(pins.PageFrameNumber(0), process.Inspect(mem).Page!.Value.Pfn);
        Assert.Equal(7, pins.ReadByte(0));
    }

    [Fact]
    public void Refcount_era_copies_a_fresh_page_still_in_the_lru_add_batch()
    {
        // B9: the lru_add batch's transient reference makes page_count 2, so 5.9-5.17 copy instead of reusing.
        var machine = TestMachines.Create(Era.Refcount);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.WriteByte(mem, 1);
        process.Mprotect(mem, Size, Prot.Read);
        process.Mprotect(mem, Size, Prot.Read | Prot.Write);
        var pfn = process.Inspect(mem).Page!.Value.Pfn;
        Assert.Equal(2, process.Inspect(mem).Page!.Value.RefCount);
        process.WriteByte(mem, 2);
        Assert.NotEqual(pfn, process.Inspect(mem).Page!.Value.Pfn);
    }

    [Fact]
    public void AnonExclusive_era_drains_the_lru_add_batch_before_deciding()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.WriteByte(mem, 1);
        process.Fork().Exit(); // clears PageAnonExclusive
        var pfn = process.Inspect(mem).Page!.Value.Pfn;
        process.WriteByte(mem, 2);
        Assert.Equal(pfn, process.Inspect(mem).Page!.Value.Pfn);
    }

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    public void A_write_to_the_zero_page_always_copies(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Assert.Equal(0, process.ReadByte(mem));
        Assert.True(process.Inspect(mem).ZeroPage);
        process.WriteByte(mem, 5);
        Assert.False(process.Inspect(mem).ZeroPage);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.Copy && e.Detail.Contains("zero page", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("AnonExclusive")]
    public void KSM_pages_are_copied_on_write(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(mem, 2 * Size, 0x33);
        process.Madvise(mem, 2 * Size, Advice.Mergeable);
        Assert.Equal(1, machine.KsmScan());
        Assert.Equal(process.Inspect(mem).Page!.Value.Pfn, process.Inspect(mem + Size).Page!.Value.Pfn);
        Assert.True(process.Inspect(mem).Page!.Value.Ksm);
        process.WriteByte(mem + Size, 1);
        Assert.NotEqual(process.Inspect(mem).Page!.Value.Pfn, process.Inspect(mem + Size).Page!.Value.Pfn);
        Assert.Equal(0x33, process.ReadByte(mem));
    }

    [Fact]
    public void KSM_leaves_a_page_without_an_identical_partner_alone()
    {
        // cmp_and_merge_page merges only with an identical page; the live kernel reuses such a page on its next write.
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(mem, Size, 0x33);
        process.Fill(mem + Size, Size, 0x44);
        process.Madvise(mem, 2 * Size, Advice.Mergeable);
        Assert.Equal(0, machine.KsmScan());
        Assert.False(process.Inspect(mem).Page!.Value.Ksm);
        Assert.True(process.Inspect(mem).Page!.Value.AnonExclusive);
    }

    [Fact]
    public void KSM_does_not_merge_a_forked_page_with_itself()
    {
        // unstable_tree_search_insert: "Don't substitute a ksm page for a forked page" (page == tree_page).
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Madvise(mem, Size, Advice.Mergeable);
        var child = parent.Fork();

        Assert.Equal(0, machine.KsmScan());

        var page = child.Inspect(mem).Page!.Value;
        Assert.False(page.Ksm);
        Assert.Equal(parent.Inspect(mem).Page!.Value.Pfn, page.Pfn);
        Assert.Equal(2, page.MapCount);
    }

    [Fact]
    public void KSM_skips_pinned_pages()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(mem, 2 * Size, 0x33);
        process.Madvise(mem, 2 * Size, Advice.Mergeable);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        Assert.Equal(0, machine.KsmScan());
        Assert.False(process.Inspect(mem).Page!.Value.Ksm);
    }
}
