using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Io;

/// <summary>The shmem-like file: ftruncate growing it (memfd_create + ftruncate + mmap, the usual way to size a memfd).</summary>
public sealed class MemFileTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    public void Ftruncate_grows_a_memfd_whose_new_pages_read_as_zeros_through_read_and_a_shared_mapping()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var file = machine.CreateMemfd("buffer");
        file.Truncate(2 * Size);
        Assert.Equal(2 * Size, file.Size);
        var contents = new byte[2 * Size];
        Assert.Equal(2 * Size, file.Pread(0, contents));
        Assert.All(contents, b => Assert.Equal(0, b));

        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Shared, file);
        process.WriteByte(mem + Size, 9);
        file.Pread(Size, contents.AsSpan(0, 1));
        Assert.Equal(9, contents[0]);
    }

    [Fact]
    public void Ftruncate_refuses_to_shrink_a_file_and_a_hugetlbfs_size_that_is_not_a_multiple_of_the_huge_page()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var file = machine.CreateMemfd("buffer");
        file.Pwrite(0, new byte[2 * Size]);
        Assert.Throws<InvalidVmArgumentException>(() => file.Truncate(Size));
        Assert.Equal(2 * Size, file.Size);

        var huge = machine.CreateHugetlbMemfd("huge");
        Assert.Throws<InvalidVmArgumentException>(() => huge.Truncate(Size));
        huge.Truncate((long)PageGeometry.PmdSize);
        Assert.Equal((long)PageGeometry.PmdSize, huge.Size);
    }
}
