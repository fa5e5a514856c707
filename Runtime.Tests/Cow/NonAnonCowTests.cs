using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Cow;

/// <summary>cow.c's non-anonymous tests ("Basic COW", "R/O longterm GUP pin") on the shared zero page and a memfd.</summary>
public sealed class NonAnonCowTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [InlineData("Mapcount")]
    [InlineData("AnonExclusive")]
    public void Basic_COW_with_memfd(string era)
    {
        var (process, mem, smem) = Memfd(era);
        process.Fill(mem, Size, 0xff);
        Assert.All(process.ReadBytes(smem, Size), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("Refcount", false)]
    [InlineData("EarlyAnonExclusive", false)] // 6.1: gup_must_unshare is false for a page-cache page (84209e87c696 came in 6.2)
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("cow.c's R/O long-term pin test checks whether the pin stays coherent")]
    public void R_O_longterm_GUP_pin_with_memfd(string era, bool passes)
    {
        var (process, mem, _) = Memfd(era);
        using var pins = Gup.PinUserPages(process, mem, 1, FollFlags.Longterm);
        process.Fill(mem, Size, 0xff);
        Assert.Equal(passes, pins.ReadByte(0) == 0xff);
    }

    [Theory]
    [InlineData("Refcount", false)]
    [InlineData("EarlyAnonExclusive", false)] // 6.1 pins the shared zero page itself; the write maps a new anonymous page
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("cow.c's R/O long-term GUP-fast pin test checks whether the pin stays coherent")]
    public void R_O_longterm_GUP_fast_pin_with_shared_zeropage(string era, bool passes)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        var smem = process.Mmap(Size, Prot.Read, MapFlags.Private | MapFlags.Anonymous);
        process.ReadByte(mem);
        process.ReadByte(smem);
        using var pins = Gup.PinUserPagesFast(process, mem, 1, FollFlags.Longterm);
        process.Fill(mem, Size, 0xff);
        Assert.Equal(passes, pins.ReadByte(0) == 0xff);
        Assert.Equal(0, process.ReadByte(smem));
    }

    private static (VmProcess Process, ulong Mem, ulong Smem) Memfd(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p");
        var file = machine.CreateMemfd("cow");
        file.Fallocate(0, Size);
        var mem = process.Mmap(Size, Prot.Read | Prot.Write, MapFlags.Private, file);
        var smem = process.Mmap(Size, Prot.Read, MapFlags.Shared, file);
        process.ReadByte(mem);
        process.ReadByte(smem);
        return (process, mem, smem);
    }
}
