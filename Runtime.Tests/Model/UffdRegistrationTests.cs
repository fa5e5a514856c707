using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

/// <summary>UFFDIO_REGISTER / UFFDIO_UNREGISTER in write-protect mode.</summary>
public sealed class UffdRegistrationTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    public void Unregistering_a_range_drops_its_uffd_wp_bits_so_writes_no_longer_fault_to_userspace()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process, 2 * Size);
        process.UffdRegister(mem, 2 * Size);
        process.UffdWriteProtect(mem, 2 * Size, protect: true);
        Assert.Throws<UserfaultException>(() => process.WriteByte(mem, 2));
        Assert.True(process.Inspect(mem).UffdWp);

        process.UffdUnregister(mem, Size);
        Assert.False(process.Inspect(mem).UffdWp);
        process.WriteByte(mem, 2); // an ordinary write fault now: the page is exclusive and reused
        Assert.Equal(2, process.ReadByte(mem));
        Assert.True(process.Inspect(mem + Size).UffdWp); // the rest of the range stays registered and protected
        Assert.Throws<UserfaultException>(() => process.WriteByte(mem + Size, 2));
        Assert.Throws<InvalidVmArgumentException>(() => process.UffdWriteProtect(mem, Size, protect: true)); // ENOENT
    }
}
