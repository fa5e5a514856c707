using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Cow;

/// <summary>
/// The key cow.c anonymous tests on a base page, per era, named after the kernel's tests. The full catalogue (every
/// backing) lives in the scenario files; these pin the model's rules down independently of the scenario language.
/// </summary>
public sealed class AnonCowTests
{
    private const int Size = TestMachines.PageSize;

    [Theory]
    [MemberData(nameof(TestMachines.AllEras), MemberType = typeof(TestMachines))]
    public void Basic_COW_after_fork(string era)
    {
        var (_, parent, mem) = Setup(era);
        var child = parent.Fork();
        var old = child.ReadBytes(mem, Size);
        parent.Fill(mem, Size, 0xff);
        Assert.Equal(old, child.ReadBytes(mem, Size));
    }

    [Theory]
    [MemberData(nameof(TestMachines.AllEras), MemberType = typeof(TestMachines))]
    public void Basic_COW_after_fork_with_mprotect_optimization(string era)
    {
        var (_, parent, mem) = Setup(era);
        var child = parent.Fork();
        var old = child.ReadBytes(mem, Size);
        parent.Mprotect(mem, Size, Prot.Read);
        parent.Mprotect(mem, Size, Prot.Read | Prot.Write);
        Assert.False(parent.Inspect(mem).Writable); // a shared page must never become writable by mprotect
        parent.Fill(mem, Size, 0xff);
        Assert.Equal(old, child.ReadBytes(mem, Size));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("cow.c's vmsplice tests take R/O pipe references on purpose to observe which side of the COW they land on")]
    public void Vmsplice_plus_unmap_in_child_with_mprotect_optimization(string era, bool passes)
    {
        var (machine, parent, mem) = Setup(era);
        var child = parent.Fork();
        var pipe = machine.CreatePipe();
        child.Vmsplice(pipe, mem, Size);
        child.Munmap(mem, Size);
        parent.Mprotect(mem, Size, Prot.Read);
        parent.Mprotect(mem, Size, Prot.Read | Prot.Write);
        parent.Fill(mem, Size, 0xff);
        Assert.Equal(passes, pipe.ReadAll().All(b => b == 0x01));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("cow.c's vmsplice tests take R/O pipe references on purpose to observe which side of the COW they land on")]
    public void Vmsplice_before_fork_unmap_in_parent_after_fork(string era, bool passes)
    {
        var (machine, parent, mem) = Setup(era);
        var pipe = machine.CreatePipe();
        parent.Vmsplice(pipe, mem, Size);
        var child = parent.Fork();
        parent.Munmap(mem, Size);
        child.Fill(mem, Size, 0xff);
        Assert.Equal(passes, pipe.ReadAll().All(b => b == 0x01));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    [WrongSideCowOk("cow.c's vmsplice tests take R/O pipe references on purpose to observe which side of the COW they land on")]
    public void Vmsplice_plus_unmap_in_parent_after_fork(string era, bool passes)
    {
        var (machine, parent, mem) = Setup(era);
        var child = parent.Fork();
        var pipe = machine.CreatePipe();
        parent.Vmsplice(pipe, mem, Size);
        parent.Munmap(mem, Size);
        child.Fill(mem, Size, 0xff);
        Assert.Equal(passes, pipe.ReadAll().All(b => b == 0x01));
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void R_O_mapping_a_page_registered_as_iouring_fixed_buffer(string era, bool passes)
    {
        var (machine, parent, mem) = Setup(era);
        var file = machine.CreateTmpfile();
        using var buffer = parent.IoUringRegisterBuffer(mem, Size);
        parent.Mprotect(mem, Size, Prot.Read);
        parent.ClearSoftDirty();
        parent.Mprotect(mem, Size, Prot.Read | Prot.Write);
        parent.Fill(mem, Size, 0xff);
        buffer.WriteFixed(file, 0, 0, Size);
        Assert.Equal(passes, FileMatches(file, parent.ReadBytes(mem, Size)));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    public void Fork_with_an_iouring_fixed_buffer(string era, bool passes)
    {
        var (machine, parent, mem) = Setup(era);
        var file = machine.CreateTmpfile();
        using var buffer = parent.IoUringRegisterBuffer(mem, Size);
        var child = parent.Fork();
        parent.Fill(mem, Size, 0xff);
        buffer.WriteFixed(file, 0, 0, Size);
        Assert.Equal(passes, FileMatches(file, parent.ReadBytes(mem, Size)));
        Assert.All(child.ReadBytes(mem, Size), b => Assert.Equal(0x01, b));
    }

    [Theory]
    [InlineData("Mapcount", false, false)]
    [InlineData("Mapcount", true, false)]
    [InlineData("ForcedCowGup", false, true)]
    [InlineData("ForcedCowGup", true, true)]
    [InlineData("Refcount", false, false)]
    [InlineData("Refcount", true, false)]
    [InlineData("AnonExclusive", false, true)]
    [InlineData("AnonExclusive", true, true)]
    public void R_O_GUP_pin_on_R_O_mapped_shared_page(string era, bool fast, bool passes)
    {
        var (_, parent, mem) = Setup(era);
        parent.Fork();
        Assert.Equal(passes, RoPinStaysCoherent(parent, mem, fast));
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void R_O_GUP_pin_on_R_O_mapped_previously_shared_page(string era, bool passes)
    {
        var (_, parent, mem) = Setup(era);
        parent.Fork().Exit();
        Assert.Equal(passes, RoPinStaysCoherent(parent, mem, fast: false));
        var (_, parent2, mem2) = Setup(era);
        parent2.Fork().Exit();
        Assert.Equal(passes, RoPinStaysCoherent(parent2, mem2, fast: true));
    }

    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("ForcedCowGup", true)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", true)]
    public void R_O_GUP_pin_on_R_O_mapped_exclusive_page(string era, bool passes)
    {
        foreach (var fast in new[] { false, true })
        {
            var (_, parent, mem) = Setup(era);
            parent.Mprotect(mem, Size, Prot.Read);
            parent.ClearSoftDirty();
            parent.Mprotect(mem, Size, Prot.Read | Prot.Write);
            Assert.Equal(passes, RoPinStaysCoherent(parent, mem, fast));
        }
    }

    /// <summary>cow.c's do_test_ro_pin: R/O long-term pin, the process writes, the device reads through the pin.</summary>
    [WrongSideCowOk("cow.c's R/O long-term pin tests check whether the era keeps a read-only pin coherent")]
    private static bool RoPinStaysCoherent(VmProcess process, ulong mem, bool fast)
    {
        var pins = fast
            ? Gup.PinUserPagesFast(process, mem, 1, FollFlags.Longterm)
            : Gup.PinUserPages(process, mem, 1, FollFlags.Longterm);
        process.Fill(mem, Size, 0xff);
        var seen = pins.ReadBytes(0, Size);
        Gup.UnpinUserPages(pins);
        return seen.SequenceEqual(process.ReadBytes(mem, Size));
    }

    private static bool FileMatches(MemFile file, byte[] expected)
    {
        var contents = new byte[expected.Length];
        file.Pread(0, contents);
        return contents.SequenceEqual(expected);
    }

    private static (Machine Machine, VmProcess Parent, ulong Mem) Setup(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        return (machine, parent, TestMachines.BasePage(parent));
    }
}
