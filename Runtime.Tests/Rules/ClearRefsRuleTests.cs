using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>clear_refs 4 (clear_soft_dirty) and pinned pages: pte_is_pinned (9348b73c2e1b, 5.11) and what it does not cover.</summary>
public sealed class ClearRefsRuleTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    public void Clear_refs_leaves_a_maybe_pinned_PTE_writable_and_soft_dirty_from_5_11_on(string era, bool skipped)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process, 2 * Size);
        using var pin = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.ClearSoftDirty();
        var pinned = process.Inspect(mem);
        Assert.Equal(skipped, pinned.Writable);
        Assert.Equal(skipped, pinned.SoftDirty); // clear_soft_dirty returns before touching the entry
        var unpinned = process.Inspect(mem + Size);
        Assert.False(unpinned.Writable);
        Assert.False(unpinned.SoftDirty);
    }

    [Theory]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    public void Clear_refs_write_protects_a_pinned_PMD_mapped_THP_which_pte_is_pinned_never_sees(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Madvise(mem, PageGeometry.PmdSize, Advice.HugePage);
        process.Fill(mem, PageGeometry.PmdSize, 1);
        Assert.True(process.Inspect(mem).PmdMapped);
        using var pin = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.ClearSoftDirty(); // clear_soft_dirty_pmd has no pte_is_pinned check
        Assert.False(process.Inspect(mem).Writable);
        process.WriteByte(mem, 7); // and the PMD is reused, not copied, so the pin stays coherent
        Assert.Equal(7, pin.ReadByte(0));
    }
}
