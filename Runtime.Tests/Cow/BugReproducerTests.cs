using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Cow;

/// <summary>Reproducers of the reference's bug catalogue (B5, B8, B10) not covered by the cow.c-named tests.</summary>
public sealed class BugReproducerTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", false)]
    [WrongSideCowOk("B5: a read GUP on a uffd-wp range is the operation under test")]
    public void B5_a_read_GUP_on_a_uffd_write_protected_range_raises_a_userfault_only_in_5_8(string era, bool faults)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("umapsort");
        var mem = TestMachines.BasePage(process);
        process.UffdRegister(mem, Size);
        process.UffdWriteProtect(mem, Size, protect: true);
        var caught = Record(() => Gup.GetUserPages(process, mem, 1, FollFlags.None).Dispose());
        Assert.Equal(faults, caught is UserfaultException);
        Assert.True(process.Inspect(mem).UffdWp);
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void B8_mprotect_read_only_and_back_after_a_write_pin(string era, bool coherent)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("rdma");
        var mem = TestMachines.BasePage(process);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write | FollFlags.Longterm);
        process.Mprotect(mem, Size, Prot.Read);
        process.Mprotect(mem, Size, Prot.Read | Prot.Write);
        process.WriteByte(mem, 0x77);
        Assert.Equal(coherent, pins.ReadByte(0) == 0x77);
    }

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("AnonExclusive")]
    public void B10_a_pinned_page_swapped_out_and_back_stays_the_pinned_page(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Write);
        process.Madvise(mem, Size, Advice.PageOut);
        process.WriteByte(mem, 0x55);
        Assert.Equal(pins.PageFrameNumber(0), process.Inspect(mem).Page!.Value.Pfn);
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (VmException error)
        {
            return error;
        }
    }
}
