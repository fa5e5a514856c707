using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Errors;

/// <summary>
/// GUP errors are returned, not signalled: __get_user_pages gives -EFAULT for an address outside every VMA and for
/// check_vma_flags failures, and faultin_page turns VM_FAULT_SIGBUS into -EFAULT (vm_fault_to_errno). A CPU access to
/// the same addresses is SIGSEGV / SIGBUS. Runtime.Tests/Live/ErrorLiveTests checks the syscall-reachable rows on
/// this machine's kernel.
/// </summary>
public sealed class GupErrorTests
{
    private const ulong Page = TestMachines.PageSize;

    [Fact]
    public void GUP_on_an_unmapped_address_is_EFAULT_where_a_CPU_access_is_SIGSEGV()
    {
        var (_, process) = Setup();
        var mem = TestMachines.BasePage(process);
        process.Munmap(mem, Page);
        var gup = Assert.Throws<BadAddressException>(() => Gup.GetUserPages(process, mem, 1, FollFlags.Write));
        Assert.Equal(("EFAULT", mem), (gup.KernelError, gup.Address!.Value));
        var access = Assert.Throws<SegmentationFaultException>(() => process.ReadByte(mem));
        Assert.Equal("SIGSEGV", access.KernelError);
    }

    [Fact]
    public void A_write_pin_of_a_read_only_mapping_is_EFAULT_and_FOLL_FORCE_makes_it_a_COW_break()
    {
        var (machine, process) = Setup();
        var mem = TestMachines.BasePage(process);
        process.Mprotect(mem, Page, Prot.Read);
        Assert.Throws<BadAddressException>(() => Gup.PinUserPages(process, mem, 1, FollFlags.Write));
        using (var forced = Gup.GetUserPages(process, mem, 1, FollFlags.Write | FollFlags.Force))
            Assert.Equal(1, forced.PageCount);
        machine.CheckInvariants();
    }

    [Fact]
    [WrongSideCowOk("read-only GUP on PROT_NONE is the error under test")]
    public void GUP_on_PROT_NONE_is_EFAULT()
    {
        var (_, process) = Setup();
        var mem = TestMachines.BasePage(process);
        process.Mprotect(mem, Page, Prot.None);
        Assert.Throws<BadAddressException>(() => Gup.GetUserPages(process, mem, 1, FollFlags.None));
    }

    [Fact]
    public void A_GUP_fault_that_finds_the_hugetlb_pool_empty_is_EFAULT_where_a_CPU_fault_is_SIGBUS()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, hugetlb2M: 1);
        var process = machine.CreateProcess("p");
        var file = machine.CreateHugetlbMemfd("h", PageGeometry.PmdSize);
        file.Truncate(2 * (long)PageGeometry.PmdSize);
        var mem = process.Mmap(2 * PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Shared, file);
        process.WriteByte(mem, 1); // takes the only huge page
        var gup = Assert.Throws<BadAddressException>(() => Gup.PinUserPages(process, mem + PageGeometry.PmdSize, 1, FollFlags.Write));
        Assert.Contains("VM_FAULT_SIGBUS", gup.Cause, StringComparison.Ordinal);
        var access = Assert.Throws<BusErrorException>(() => process.WriteByte(mem + PageGeometry.PmdSize, 1));
        Assert.Equal("SIGBUS", access.KernelError);
        machine.CheckInvariants();
    }

    [Fact]
    public void FOLL_NOFAULT_on_a_page_that_needs_a_fault_is_EFAULT()
    {
        var (_, process) = Setup();
        var mem = process.Mmap(Page, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Assert.Throws<BadAddressException>(() => Gup.GetUserPages(process, mem, 1, FollFlags.Write | FollFlags.NoFault));
    }

    [Fact]
    public void Mremap_of_a_range_beyond_its_VMA_is_EFAULT()
    {
        var (_, process) = Setup();
        var mem = TestMachines.BasePage(process);
        var error = Assert.Throws<BadAddressException>(() => process.Mremap(mem, 2 * Page, 4 * Page, MremapFlags.MayMove));
        Assert.Equal("EFAULT", error.KernelError);
    }

    [Fact]
    public void Uffd_write_protect_on_an_unregistered_range_is_ENOENT()
    {
        var (_, process) = Setup();
        var mem = TestMachines.BasePage(process);
        var error = Assert.Throws<InvalidVmArgumentException>(() => process.UffdWriteProtect(mem, Page, protect: true));
        Assert.Equal("ENOENT", error.KernelError);
    }

    private static (Machine Machine, VmProcess Process) Setup()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        return (machine, machine.CreateProcess("p"));
    }
}
