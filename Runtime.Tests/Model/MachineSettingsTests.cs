using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

/// <summary>The sysfs knobs a machine has: per-size THP modes.</summary>
public sealed class MachineSettingsTests
{
    [Fact]
    public void THP_modes_start_as_a_default_kernel_has_them_and_read_back_what_was_set()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        Assert.Equal(ThpMode.Madvise, machine.GetThpMode(PageGeometry.PmdSize)); // hugepages-2048kB/enabled: inherit → madvise
        Assert.Equal(ThpMode.Never, machine.GetThpMode(64 * 1024));
        machine.SetThpMode(64 * 1024, ThpMode.Always);
        Assert.Equal(ThpMode.Always, machine.GetThpMode(64 * 1024));
        Assert.Equal(ThpMode.Madvise, machine.GetThpMode(PageGeometry.PmdSize));
        Assert.Throws<InvalidVmArgumentException>(() => machine.GetThpMode(3 * 4096));
    }
}
