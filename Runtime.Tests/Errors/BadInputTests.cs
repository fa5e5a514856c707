using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Errors;

/// <summary>Bad input gives a typed exception with the address and cause, and the model stays consistent.</summary>
public sealed class BadInputTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    public void Access_to_an_unmapped_address_is_a_segmentation_fault_carrying_the_address()
    {
        var (machine, process, mem) = Setup();
        process.Munmap(mem, Size);
        var error = Assert.Throws<SegmentationFaultException>(() => process.ReadByte(mem + 17));
        Assert.Equal(mem + 17, error.Address);
        Assert.Contains("SEGV_MAPERR", error.Cause, StringComparison.Ordinal);
        machine.CheckInvariants();
    }

    [Fact]
    public void A_write_to_a_read_only_mapping_is_a_segmentation_fault()
    {
        var (machine, process, mem) = Setup();
        process.Mprotect(mem, Size, Prot.Read);
        var error = Assert.Throws<SegmentationFaultException>(() => process.WriteByte(mem, 1));
        Assert.Contains("SEGV_ACCERR", error.Cause, StringComparison.Ordinal);
        Assert.Equal(1, process.ReadByte(mem));
        machine.CheckInvariants();
    }

    [Fact]
    public void A_write_spanning_into_an_unmapped_page_changes_the_mapped_part_only()
    {
        var (_, process, mem) = Setup();
        Assert.Throws<SegmentationFaultException>(() => process.Write(mem + Size - 2, new byte[4]));
        Assert.Equal(0, process.ReadByte(mem + Size - 1));
    }

    [Fact]
    public void Unaligned_addresses_are_invalid_arguments()
    {
        var (_, process, mem) = Setup();
        Assert.Throws<InvalidVmArgumentException>(() => process.Munmap(mem + 1, Size));
        Assert.Throws<InvalidVmArgumentException>(() => process.Mprotect(mem + 1, Size, Prot.Read));
        Assert.Throws<InvalidVmArgumentException>(() => process.Madvise(mem + 1, Size, Advice.DontNeed));
        var error = Assert.Throws<InvalidVmArgumentException>(() => Gup.PinUserPages(process, mem + 8, 1, FollFlags.Write));
        Assert.Equal(mem + 8, error.Address);
    }

    [Fact]
    public void GUP_outside_any_VMA_fails_and_releases_what_it_took()
    {
        var (machine, process, mem) = Setup();
        var before = process.Inspect(mem).Page!.Value.RefCount;
        var error = Assert.Throws<BadAddressException>(() => Gup.PinUserPages(process, mem, 2, FollFlags.Write));
        Assert.Equal(mem + Size, error.Address);
        Assert.Equal(1, error.PagesTaken);
        Assert.Equal(before, process.Inspect(mem).Page!.Value.RefCount);
        machine.CheckInvariants();
    }

    [Fact]
    [WrongSideCowOk("the calls are rejected before any reference is taken; the test checks the validation")]
    public void Write_with_BreakCow_and_Longterm_without_pin_are_invalid_flag_combinations()
    {
        var (_, process, mem) = Setup();
        var both = Assert.Throws<InvalidVmArgumentException>(() => Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.BreakCow));
        Assert.Contains("BreakCow", both.Cause, StringComparison.Ordinal);
        Assert.Throws<InvalidVmArgumentException>(() => Gup.GetUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm));
        Assert.Throws<InvalidVmArgumentException>(() => Gup.GetUserPages(process, mem, 0, FollFlags.Write));
        Assert.Throws<InvalidVmArgumentException>(() => Gup.GetUserPages(process, mem, 1, (FollFlags)(1 << 4)));
    }

    [Fact]
    public void A_write_GUP_on_a_read_only_mapping_without_force_fails()
    {
        var (_, process, mem) = Setup();
        process.Mprotect(mem, Size, Prot.Read);
        Assert.Throws<BadAddressException>(() => Gup.PinUserPages(process, mem, 1, FollFlags.Write));
    }

    [Fact]
    public void Double_unpin_and_wrong_release_kind_are_reported()
    {
        var (machine, process, mem) = Setup();
        var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
#pragma warning disable CG0007 // the wrong release API is the bad input under test; the runtime check must catch it
        Assert.Throws<PageReferenceReleaseException>(() => Gup.PutPages(pins));
        Gup.UnpinUserPages(pins);
        var twice = Assert.Throws<PageReferenceReleaseException>(() => Gup.UnpinUserPages(pins));
        Assert.Contains("double unpin", twice.Cause, StringComparison.Ordinal);
        var references = Gup.GetUserPages(process, mem, 1, FollFlags.Write);
        Assert.Throws<PageReferenceReleaseException>(() => Gup.UnpinUserPages(references));
#pragma warning restore CG0007
        Gup.PutPages(references);
        Assert.Throws<PageReferenceReleaseException>(() => references.ReadByte(0));
        machine.CheckInvariants();
    }

    [Fact]
    public void Operations_on_an_exited_process_are_refused()
    {
        var (_, process, mem) = Setup();
        process.Exit();
        Assert.Throws<ProcessExitedException>(() => process.ReadByte(mem));
        Assert.Throws<ProcessExitedException>(() => process.Fork());
        Assert.Throws<ProcessExitedException>(() => Gup.GetUserPages(process, mem, 1, FollFlags.Write));
        Assert.Throws<ProcessExitedException>(() => process.Exit());
    }

    [Fact]
    public void Pins_outlive_the_process_and_free_the_page_when_released()
    {
        var (machine, process, mem) = Setup();
        var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        process.Exit();
        Assert.Equal(1, pins.ReadByte(0));
        Assert.Equal(1, machine.LiveFolioCount);
        Gup.UnpinUserPages(pins);
        machine.LruAddDrain(); // the fresh page's lru_add batch reference goes last
        Assert.Equal(0, machine.LiveFolioCount);
    }

    [Fact]
    public void Bad_mmap_arguments_are_rejected_before_anything_changes()
    {
        var (machine, process, _) = Setup();
        var vmas = process.Vmas.Count;
        Assert.Throws<InvalidVmArgumentException>(() => process.Mmap(Size, Prot.Read, MapFlags.Anonymous));
        Assert.Throws<InvalidVmArgumentException>(() => process.Mmap(Size, Prot.Read, MapFlags.Private | MapFlags.Shared | MapFlags.Anonymous));
        Assert.Throws<InvalidVmArgumentException>(() => process.Mmap(0, Prot.Read, MapFlags.Private | MapFlags.Anonymous));
        Assert.Throws<InvalidVmArgumentException>(() => process.Mmap(Size, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, address: 5));
        Assert.Throws<OutOfVmMemoryException>(() => process.Mmap(PageGeometry.PmdSize, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb));
        Assert.Throws<InvalidVmArgumentException>(() => machine.SetThpMode(3 * 4096, ThpMode.Always));
        Assert.Equal(vmas, process.Vmas.Count);
    }

    [Fact]
    public void A_write_to_a_uffd_write_protected_page_raises_a_userfault_until_resolved()
    {
        var (machine, process, mem) = Setup();
        Assert.Throws<InvalidVmArgumentException>(() => process.UffdWriteProtect(mem, Size, protect: true));
        process.UffdRegister(mem, Size);
        process.UffdWriteProtect(mem, Size, protect: true);
        var error = Assert.Throws<UserfaultException>(() => process.WriteByte(mem, 2));
        Assert.Equal(mem, error.Address);
        process.UffdWriteProtect(mem, Size, protect: false);
        process.WriteByte(mem, 2);
        Assert.Equal(2, process.ReadByte(mem));
        machine.CheckInvariants();
    }

    [Fact]
    public void Device_access_outside_the_handle_is_invalid()
    {
        var (_, process, mem) = Setup();
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        Assert.Throws<InvalidVmArgumentException>(() => pins.ReadBytes(Size - 1, 2));
        Assert.Throws<InvalidVmArgumentException>(() => pins.Write(-1, [1]));
    }

    private static (Machine Machine, VmProcess Process, ulong Mem) Setup()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        return (machine, process, TestMachines.BasePage(process));
    }
}
