using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>THP (PMD and mTHP) and hugetlb quirks of the eras.</summary>
public sealed class HugeRuleTests
{
    private const ulong Pmd = PageGeometry.PmdSize;

    [Theory]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("B13: the child's vmsplice reference is the wrong-side reference under test")]
    public void B13_vmsplice_and_unmap_in_child_on_a_PMD_THP(string era, bool passes)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = Thp(parent, Pmd);
        Assert.True(parent.Inspect(mem).PmdMapped);
        var child = parent.Fork();
        var pipe = machine.CreatePipe();
        child.Vmsplice(pipe, mem, Pmd);
        child.Munmap(mem, Pmd);
        parent.Fill(mem, Pmd, 0xff);
        Assert.Equal(passes, pipe.ReadAll().All(b => b == 0x01));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", false)]
    [WrongSideCowOk("cow.c's hugetlb vmsplice XFAIL: the pipe reference is the wrong-side reference under test")]
    public void Hugetlb_keeps_the_mapcount_rule_in_every_era(string era, bool passes)
    {
        var machine = TestMachines.Create(Era.Parse(era), hugetlb2M: 4);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(mem, Pmd, 1);
        var child = parent.Fork();
        var pipe = machine.CreatePipe();
        child.Vmsplice(pipe, mem, Pmd);
        child.Munmap(mem, Pmd);
        parent.Fill(mem, Pmd, 0xff);
        Assert.Equal(passes, pipe.ReadAll().All(b => b == 0x01));
    }

    [Fact]
    public void Hugetlb_pool_exhaustion_is_a_bus_error_and_the_model_stays_consistent()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var process = machine.CreateProcess("p");
        var shared = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Anonymous | MapFlags.Hugetlb);
        process.WriteByte(shared, 1);
        var error = Assert.Throws<BusErrorException>(() =>
        {
            var more = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Anonymous | MapFlags.Hugetlb);
            process.WriteByte(more, 1);
        });
        Assert.NotNull(error.Address);
        Assert.Throws<OutOfVmMemoryException>(() =>
            process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb));
        machine.CheckInvariants();
        Assert.Equal(1, process.ReadByte(shared));
    }

    [Fact]
    public void The_reservation_owner_steals_the_page_and_the_child_gets_SIGBUS()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(mem, Pmd, 1);
        var child = parent.Fork();
        parent.WriteByte(mem, 2);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.HugetlbSteal);
        Assert.Throws<BusErrorException>(() => child.ReadByte(mem));
        Assert.Equal(2, parent.ReadByte(mem));
    }

    [Fact]
    public void A_non_owner_hugetlb_COW_without_free_pages_is_a_bus_error()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var parent = machine.CreateProcess("parent");
        var mem = parent.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        parent.Fill(mem, Pmd, 1);
        var child = parent.Fork();
        Assert.Throws<BusErrorException>(() => child.WriteByte(mem, 2));
        Assert.Equal(1, child.ReadByte(mem));
        Assert.Equal(1, parent.ReadByte(mem));
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(64 * 1024)]
    [InlineData(1024 * 1024)]
    public void An_mTHP_size_in_always_mode_allocates_a_PTE_mapped_large_folio(int size)
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        machine.SetThpMode(PageGeometry.PmdSize, ThpMode.Never);
        machine.SetThpMode((ulong)size, ThpMode.Always);
        var process = machine.CreateProcess("p");
        var mem = Thp(process, (ulong)size);
        var first = process.Inspect(mem);
        var last = process.Inspect(mem + (ulong)size - PageGeometry.PageSize);
        Assert.False(first.PmdMapped);
        Assert.Equal(System.Numerics.BitOperations.Log2((uint)size / PageGeometry.PageSize), first.FolioOrder);
        Assert.Equal(first.Page!.Value.Pfn + size / PageGeometry.PageSize - 1, last.Page!.Value.Pfn);
    }

    [Fact]
    public void A_read_fault_in_a_THP_range_maps_the_huge_zero_page()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Madvise(mem, Pmd, Advice.HugePage);
        Assert.Equal(0, process.ReadByte(mem + 12345));
        Assert.True(process.Inspect(mem).PmdMapped);
        Assert.True(process.Inspect(mem).ZeroPage);
        process.WriteByte(mem, 1);
        Assert.False(process.Inspect(mem).ZeroPage);
        Assert.True(process.Inspect(mem + PageGeometry.PageSize).ZeroPage);
    }

    [Fact]
    public void A_PTE_mapped_THP_of_a_child_that_exited_is_reused_by_mm_id_tracking()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = Thp(process, Pmd);
        process.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read);
        process.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read | Prot.Write);
        process.Fork().Exit();
        var pfn = process.Inspect(mem).Page!.Value.Pfn;
        process.WriteByte(mem, 5);
        Assert.Equal(pfn, process.Inspect(mem).Page!.Value.Pfn);
    }

    [Fact]
    public void Collapse_after_fork_gives_the_parent_a_new_exclusive_THP()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var parent = machine.CreateProcess("parent");
        var mem = Thp(parent, Pmd);
        parent.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read);
        parent.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read | Prot.Write);
        var child = parent.Fork();
        parent.Madvise(mem, Pmd, Advice.Collapse);
        Assert.True(parent.Inspect(mem).PmdMapped);
        Assert.True(parent.Inspect(mem).Writable);
        parent.Fill(mem, Pmd, 0xff);
        Assert.All(child.ReadBytes(mem, (int)Pmd), b => Assert.Equal(1, b));
    }

    [Fact]
    [WrongSideCowOk("the pipe reference exists only to make the collapse fail")]
    public void Collapse_refuses_pages_with_extra_references()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = Thp(process, Pmd);
        process.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read);
        process.Mprotect(mem + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read | Prot.Write);
        var pipe = machine.CreatePipe();
        process.Vmsplice(pipe, mem, PageGeometry.PageSize);
        Assert.Throws<ResourceBusyException>(() => process.Madvise(mem, Pmd, Advice.Collapse));
        Assert.False(process.Inspect(mem).PmdMapped);
    }

    [Fact]
    public void Partial_mremap_of_a_THP_keeps_both_halves_of_the_folio()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = Thp(process, Pmd);
        var placeholder = process.Mmap(Pmd / 2, Prot.None, MapFlags.Private | MapFlags.Anonymous);
        var moved = process.Mremap(mem + Pmd / 2, Pmd / 2, Pmd / 2, MremapFlags.MayMove | MremapFlags.Fixed, placeholder);
        Assert.Equal(placeholder, moved);
        Assert.Equal(process.Inspect(mem).Page!.Value.Pfn + 256, process.Inspect(moved).Page!.Value.Pfn);
        Assert.Equal(1, process.ReadByte(moved));
        Assert.Throws<SegmentationFaultException>(() => process.ReadByte(mem + Pmd / 2));
    }

    private static ulong Thp(VmProcess process, ulong size)
    {
        var raw = process.Mmap(2 * size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        var mem = PageGeometryAlign(raw, size);
        process.Madvise(mem, size, Advice.HugePage);
        process.Fill(mem, size, 1);
        return mem;
    }

    private static ulong PageGeometryAlign(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;
}
