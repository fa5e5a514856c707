using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests;

/// <summary>Machines for tests: invariants are always checked after every operation, and the lock order on every acquisition.</summary>
internal static class TestMachines
{
    public const int PageSize = PageGeometry.PageSize;

    public static Machine Create(Era era, int hugetlb2M = 0, int hugetlb1G = 0, int lruBatch = 15) =>
        new(new MachineOptions
        {
            Era = era,
            CheckInvariants = true,
            CheckLockOrder = true,
            HugetlbPages2M = hugetlb2M,
            HugetlbPages1G = hugetlb1G,
            LruAddBatchSize = lruBatch,
        });

    public static Era EraNamed(string name) => Era.Parse(name);

    /// <summary>Every era's name, oldest first, for [MemberData].</summary>
    public static TheoryData<string> AllEras => new(Era.All.Select(e => e.Name));

    /// <summary>cow.c's base page backing: mmap, MADV_NOHUGEPAGE, memset(1).</summary>
    public static ulong BasePage(VmProcess process, ulong size = PageSize)
    {
        var mem = process.Mmap(size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Madvise(mem, size, Advice.NoHugePage);
        process.Fill(mem, size, 0x01);
        return mem;
    }
}
