using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Cow;

/// <summary>cow.c's vmsplice tests on a base page (CVE-2020-29374), per era.</summary>
public sealed class VmspliceTests
{
    [Theory]
    [InlineData("Mapcount", true)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", false)]
    [InlineData("AnonExclusive", false)]
    [WrongSideCowOk("the test reproduces CVE-2020-29374: the child's vmsplice reference must not break COW")]
    public void Vmsplice_and_unmap_in_child(string era, bool leaks)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var child = parent.Fork();
        var pipe = machine.CreatePipe();
        var spliced = child.Vmsplice(pipe, mem, TestMachines.PageSize);
        child.Munmap(mem, TestMachines.PageSize);
        parent.Fill(mem, TestMachines.PageSize, 0xff);
        var seen = pipe.ReadAll();
        Assert.Equal(TestMachines.PageSize, spliced);
        Assert.Equal(leaks, seen.Any(b => b != 0x01));
    }
}
