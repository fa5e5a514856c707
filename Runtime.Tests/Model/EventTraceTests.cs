using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

public sealed class EventTraceTests
{
    [Fact]
    public void A_COW_after_fork_is_traced_with_counts_before_and_after()
    {
        var machine = TestMachines.Create(Era.AnonExclusive, lruBatch: 0);
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        parent.Fork("child");
        machine.Events.Clear();
        parent.WriteByte(mem, 2);
        var copy = Assert.Single(machine.Events.OfKind(VmEventKind.Copy));
        Assert.Equal("parent", copy.Process);
        Assert.Equal(mem, copy.Address);
        Assert.Equal(2, copy.Before!.Value.MapCount);
        Assert.False(copy.Before.Value.AnonExclusive);
        Assert.True(copy.After!.Value.AnonExclusive);
        Assert.Equal(1, copy.After.Value.RefCount);
        Assert.NotEqual(copy.Before.Value.Pfn, copy.After.Value.Pfn);
    }

    [Fact]
    public void Recording_can_be_switched_off()
    {
        var machine = new Machine(new MachineOptions { RecordEvents = false });
        var process = machine.CreateProcess("p");
        TestMachines.BasePage(process);
        Assert.Empty(machine.Events);
    }
}
