using CowGuard.Exploration;
using CowGuard.VmModel;
using CowGuard.VmModel.Tests.Properties;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>
/// EarlyRefcount (mainline 5.9–5.10) against Refcount: the same refcount rule, without 5.11's pte_is_pinned
/// (9348b73c2e1b) and feb889fb40fa, and without 5.12's early COW of pinned hugetlb pages at fork (4eae4efa2c29).
/// </summary>
public sealed class EarlyRefcountRuleTests
{
    private const int Size = TestMachines.PageSize;
    private const ulong Huge = PageGeometry.PmdSize;

    [Fact]
    public void EarlyRefcount_refines_Refcount()
    {
        Assert.Same(Era.Refcount, Era.EarlyRefcount.Refines);
        Assert.Null(Era.Refcount.Refines);
        Assert.Equal("5.9–5.10", Era.EarlyRefcount.KernelVersions);
        Assert.Equal("5.11–5.18", Era.Refcount.KernelVersions);
    }

    [Theory]
    [InlineData("EarlyRefcount", false)]
    [InlineData("Refcount", true)]
    public void B7_clear_refs_write_protects_a_pinned_page_before_5_11_and_the_next_write_copies_away_from_the_pin(string era, bool coherent)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pin = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.ClearSoftDirty();
        Assert.Equal(!coherent, !process.Inspect(mem).Writable);
        process.Fill(mem, Size, 0xff);
        Assert.Equal(coherent, pin.ReadBytes(0, Size).SequenceEqual(process.ReadBytes(mem, Size)));
        Assert.Equal(coherent, pin.PageFrameNumber(0) == process.Inspect(mem).Page!.Value.Pfn);
    }

    [Theory]
    [InlineData("EarlyRefcount", false)]
    [InlineData("Refcount", true)]
    public void B10_a_pinned_page_swapped_out_read_back_and_written_is_copied_away_from_the_pin_before_5_11(string era, bool coherent)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pin = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.Madvise(mem, Size, Advice.PageOut);
        // Before feb889fb40fa the page goes to the swapcache and is unmapped; the pin keeps it from being freed.
        Assert.Equal(!coherent, process.Inspect(mem).Swapped);
        Assert.Equal(1, process.ReadByte(mem)); // a read refault maps the swapcache page read-only
        Assert.Equal(pin.PageFrameNumber(0), process.Inspect(mem).Page!.Value.Pfn);
        process.Fill(mem, Size, 0xff); // do_wp_page: page_count > 1 ⇒ copy
        Assert.Equal(coherent, pin.ReadBytes(0, Size).SequenceEqual(process.ReadBytes(mem, Size)));
    }

    [Theory]
    [InlineData("EarlyRefcount")]
    [InlineData("Refcount")]
    public void A_pinned_page_swapped_out_and_written_at_once_is_reused_because_reuse_swap_page_counts_no_references(string era)
    {
        // The write refault: do_swap_page asks reuse_swap_page (mapcount 0 + swapcount 1 == 1) and maps the swapcache
        // page writable, so the pin stays coherent in 5.9–5.10 too. Only a read refault (above) exposes B10.
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pin = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.Madvise(mem, Size, Advice.PageOut);
        process.Fill(mem, Size, 0xff);
        Assert.Equal(pin.PageFrameNumber(0), process.Inspect(mem).Page!.Value.Pfn);
        Assert.All(pin.ReadBytes(0, Size), b => Assert.Equal(0xff, b));
        Assert.Equal(0, machine.SwapPagesUsed);
    }

    [Theory]
    [InlineData("EarlyRefcount", false)]
    [InlineData("Refcount", true)]
    public void Fork_with_an_iouring_fixed_buffer_on_hugetlb_shares_the_pinned_page_before_5_12(string era, bool coherent)
    {
        // cow.c test 8 on a hugetlb backing: without 4eae4efa2c29 copy_hugetlb_page_range shares the pinned page, the
        // parent's write faults on the now read-only entry, hugetlb_wp sees mapcount 2 and copies, and the fixed
        // buffer keeps writing out the page the child now owns.
        var machine = TestMachines.Create(Era.Parse(era), hugetlb2M: 3);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(Huge, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(mem, Huge, 1);
        var file = machine.CreateTmpfile();
        using var buffer = parent.IoUringRegisterBuffer(mem, Huge);
        var child = parent.Fork();
        Assert.Equal(coherent, child.Inspect(mem).Page!.Value.Pfn != parent.Inspect(mem).Page!.Value.Pfn); // early COW
        parent.Fill(mem, Huge, 0xff);
        buffer.WriteFixed(file, 0, 0, (int)Huge);
        var written = new byte[Huge];
        file.Pread(0, written);
        Assert.Equal(coherent, written.SequenceEqual(parent.ReadBytes(mem, (int)Huge)));
        Assert.All(child.ReadBytes(mem, (int)Huge), b => Assert.Equal(0x01, b));
    }

    [Theory]
    [InlineData("EarlyRefcount")]
    [InlineData("Refcount")]
    public void Fork_splits_a_pinned_PMD_THP_and_copies_its_pages_for_the_child_since_5_9(string era)
    {
        // d042035eaf5f and 70e806e4e645 are both 5.9: only hugetlb waited for 5.12.
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(Huge, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        parent.Madvise(mem, Huge, Advice.HugePage);
        parent.Fill(mem, Huge, 1);
        Assert.True(parent.Inspect(mem).PmdMapped);
        using var pin = Gup.PinUserPages(parent, mem, 1, FollFlags.Write | FollFlags.Longterm);
        var child = parent.Fork();
        Assert.False(parent.Inspect(mem).PmdMapped);
        Assert.NotEqual(parent.Inspect(mem).Page!.Value.Pfn, child.Inspect(mem).Page!.Value.Pfn);
        parent.WriteByte(mem, 7);
        Assert.Equal(7, pin.ReadByte(0));
        Assert.Equal(1, child.ReadByte(mem));
    }

    /// <summary>
    /// Elsewhere the two eras are one: on generated sequences without clear_refs, swap-out and the hugetlb slot, every
    /// step runs the same way and every oracle gives the same answer.
    /// </summary>
    [Fact]
    public void Without_clear_refs_swap_out_and_hugetlb_EarlyRefcount_runs_every_generated_sequence_as_Refcount_does()
    {
        HashSet<Oracle> oracles = [.. Enum.GetValues<Oracle>()];
        var (sequences, steps, violations) = (0, 0, 0);
        for (var i = 0; i < 300; i++)
        {
            var ops = CounterexampleSearch.Generate(PropertyBudget.Current.MaxLength, PropertyBudget.BaseSeed + (ulong)i)
                .Where(op => op.Kind is not (OpKind.ClearRefs or OpKind.SwapOut) && Universe.PropertyTests.Slots[op.Slot] != SlotKind.Hugetlb)
                .ToArray();
            var refcount = ModelRun.Run(Era.Refcount, ops, oracles);
            var early = ModelRun.Run(Era.EarlyRefcount, ops, oracles);
            Assert.Equal(refcount.Violation, early.Violation);
            Assert.Equal(refcount.Executed, early.Executed);
            (sequences, steps, violations) = (sequences + 1, steps + early.Executed.Count, violations + (early.Violation is null ? 0 : 1));
        }

        Assert.True(steps >= sequences * 5, $"only {steps} steps ran in {sequences} sequences");
        Assert.True(violations > 0, "no sequence showed a Refcount violation, so the comparison says little");
    }
}
