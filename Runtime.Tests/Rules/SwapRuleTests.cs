using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>Swap-out / swap-in: exclusivity remembered in the swap PTE (5.19+), pinned pages and reclaim.</summary>
public sealed class SwapRuleTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void Swap_in_of_an_exclusive_page_maps_it_writable_on_a_read_fault_only_with_the_swap_exclusive_bit(string era, bool writable)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        process.Madvise(mem, Size, Advice.PageOut);
        var swapped = process.Inspect(mem);
        Assert.True(swapped.Swapped);
        Assert.Equal(writable, swapped.SwapExclusive);
        Assert.Equal(0, machine.LiveFolioCount);
        Assert.Equal(1, process.ReadByte(mem));
        Assert.Equal(writable, process.Inspect(mem).Writable);
        Assert.Equal(0, machine.SwapPagesUsed);
    }

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    public void Swap_in_after_fork_shares_the_page_and_COW_still_isolates(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Madvise(mem, Size, Advice.PageOut);
        var child = parent.Fork();
        Assert.False(parent.Inspect(mem).SwapExclusive);
        parent.Fill(mem, Size, 0xff);
        Assert.Equal(1, child.ReadByte(mem));
        Assert.Equal(0xff, parent.ReadByte(mem));
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", false)]
    public void Pageout_skips_pinned_pages_from_5_11_on(string era, bool swapped)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        process.Madvise(mem, Size, Advice.PageOut);
        Assert.Equal(swapped, process.Inspect(mem).Swapped);
        process.WriteByte(mem, 9);
        Assert.Equal(9, pins.ReadByte(0)); // swap-in finds the pinned folio in the swapcache
    }

    [Fact]
    public void Pageout_leaves_pages_shared_with_another_process()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Fork();
        parent.Madvise(mem, Size, Advice.PageOut);
        Assert.True(parent.Inspect(mem).Present);
    }

    [Fact]
    public void A_swapped_out_PMD_THP_comes_back_as_base_pages_with_its_contents()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Madvise(mem, PageGeometry.PmdSize, Advice.HugePage);
        process.Fill(mem, PageGeometry.PmdSize, 3);
        process.WriteByte(mem + 5 * (ulong)Size + 7, 0x99);
        process.Madvise(mem, PageGeometry.PmdSize, Advice.PageOut);
        Assert.True(process.Inspect(mem).Swapped);
        Assert.Equal(0x99, process.ReadByte(mem + 5 * (ulong)Size + 7));
        Assert.Equal(3, process.ReadByte(mem + PageGeometry.PmdSize - 1));
        Assert.Equal(0, process.Inspect(mem).FolioOrder);
    }
}
