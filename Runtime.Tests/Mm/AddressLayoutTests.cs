using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Mm;

/// <summary>
/// get_unmapped_area as the kernel does it for an x86-64 process (unmapped_area_topdown, thp_get_unmapped_area): the
/// checks compare addresses relative to each other, which is what a program (and the live comparison) can rely on.
/// Runtime.Tests/Live/AddressLayoutLiveTests runs the same kind of sequences on this machine's kernel.
/// </summary>
public sealed class AddressLayoutTests
{
    private const ulong Page = TestMachines.PageSize;
    private const ulong Pmd = PageGeometry.PmdSize;

    [Fact]
    public void Consecutive_mmaps_go_downwards_without_gaps_and_merge_into_one_VMA()
    {
        var (_, process) = Setup();
        var a = Map(process, Page);
        var b = Map(process, Page);
        var c = Map(process, 3 * Page);
        Assert.Equal(a - Page, b);
        Assert.Equal(b - 3 * Page, c);
        var vma = Assert.Single(process.Vmas);
        Assert.Equal((c, a + Page), (vma.Start, vma.End));
    }

    [Fact]
    public void A_hole_that_munmap_made_is_reused_by_the_next_mapping_that_fits()
    {
        var (machine, process) = Setup();
        var a = Map(process, Page);
        var b = Map(process, Page);
        var c = Map(process, 3 * Page);
        process.Munmap(b, Page);
        Assert.Equal(b, Map(process, Page));
        process.Munmap(c + Page, Page);
        Assert.Equal(c - 2 * Page, Map(process, 2 * Page)); // the one-page hole is too small: below c
        Assert.Equal(c + Page, Map(process, Page)); // ...and the next one-page mapping fills it
        var vma = Assert.Single(process.Vmas); // every piece is adjacent and compatible again
        Assert.Equal((c - 2 * Page, a + Page), (vma.Start, vma.End));
        machine.CheckInvariants();
    }

    [Fact]
    public void Private_anonymous_mappings_of_a_multiple_of_PMD_size_are_PMD_aligned_and_others_are_not()
    {
        var (_, process) = Setup();
        var top = Map(process, Page);
        var twoMiB = Map(process, 2 * Pmd / 2);
        Assert.Equal(0UL, twoMiB % Pmd);
        Assert.Equal(PageGeometry.AlignDown(top - Pmd, Pmd), twoMiB);
        var threeMiB = Map(process, 3 * Pmd / 2);
        Assert.Equal(twoMiB - 3 * Pmd / 2, threeMiB); // not a PMD multiple: directly below, unaligned
        Assert.NotEqual(0UL, threeMiB % Pmd);
        var fourMiB = Map(process, 2 * Pmd);
        Assert.Equal(PageGeometry.AlignDown(threeMiB - 2 * Pmd, Pmd), fourMiB);
        var shared = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Shared | MapFlags.Anonymous);
        Assert.Equal(fourMiB - Pmd, shared); // shmem_get_unmapped_area with shmem THP off: no alignment
    }

    [Fact]
    public void Hugetlb_mappings_are_aligned_to_their_page_size_and_never_merge_with_each_other()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 4);
        var process = machine.CreateProcess("p");
        var top = Map(process, Page);
        var first = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        var second = process.Mmap(Pmd, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
        Assert.Equal(PageGeometry.AlignDown(top - Pmd, Pmd), first);
        Assert.Equal(first - Pmd, second);
        Assert.Equal(3, process.Vmas.Count);
        process.Mprotect(first, Pmd, Prot.Read);
        process.Mprotect(first, Pmd, Prot.Read | Prot.Write);
        Assert.Equal(3, process.Vmas.Count);
        machine.CheckInvariants();
    }

    [Fact]
    public void A_new_mapping_merges_with_a_neighbour_that_clear_refs_made_clean_and_the_result_is_soft_dirty()
    {
        var (_, process) = Setup();
        var a = Map(process, Page);
        process.ClearSoftDirty();
        Assert.DoesNotContain("sd", Assert.Single(process.Vmas).Flags);
        Map(process, Page);
        Assert.Contains("sd", Assert.Single(process.Vmas).Flags);
        Assert.Equal(a + Page, process.Vmas[0].End);
    }

    [Fact]
    public void Mremap_moves_a_growing_mapping_to_where_a_new_mmap_of_that_length_would_go()
    {
        var (_, process) = Setup();
        Map(process, Page);
        var b = Map(process, Page); // merged with the page above: b cannot grow in place
        process.WriteByte(b, 7);
        var moved = process.Mremap(b, Page, Pmd, MremapFlags.MayMove);
        Assert.Equal(PageGeometry.AlignDown(b - Pmd, Pmd), moved);
        Assert.Equal(7, process.ReadByte(moved));
    }

    private static (Machine Machine, VmProcess Process) Setup()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        return (machine, machine.CreateProcess("p"));
    }

    private static ulong Map(VmProcess process, ulong length) =>
        process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
}
