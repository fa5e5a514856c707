using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Io;

/// <summary>IORING_OP_READ_FIXED: the device writes file data into the pinned buffer — whose page that is depends on the era.</summary>
public sealed class IoUringFixedBufferTests
{
    private const int Size = TestMachines.PageSize;

    [Fact]
    public void Read_fixed_writes_file_data_into_the_registered_buffer_the_process_sees()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process, 2 * Size);
        var file = machine.CreateTmpfile();
        file.Pwrite(0, Enumerable.Repeat((byte)0x5a, 100).ToArray());
        using var buffer = process.IoUringRegisterBuffer(mem, 2 * Size);
        buffer.ReadFixed(file, 0, Size + 10, 100);
        Assert.All(process.ReadBytes(mem + Size + 10, 100), b => Assert.Equal(0x5a, b));
        Assert.Equal(1, process.ReadByte(mem + Size + 9));
        Assert.Equal(1, process.ReadByte(mem + Size + 110));
    }

    [Fact]
    public void Read_fixed_stops_at_the_end_of_the_file()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process);
        var file = machine.CreateTmpfile();
        file.Pwrite(0, [7, 7, 7]);
        using var buffer = process.IoUringRegisterBuffer(mem, Size);
        buffer.ReadFixed(file, 1, 0, 64);
        Assert.Equal([7, 7, 1], process.ReadBytes(mem, 3));
    }

    [Theory]
    [InlineData("Mapcount", false)]
    [InlineData("ForcedCowGup", false)]
    [InlineData("Refcount", true)]
    [InlineData("AnonExclusive", true)]
    public void After_fork_and_a_parent_write_read_fixed_data_reaches_the_parent_only_with_early_COW_at_fork(string era, bool parentSeesIt)
    {
        // B11 from the device's side: before 5.9 fork shares the pinned page, the parent's write copies, and the DMA
        // the parent asked for lands in the page the child now owns.
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("parent");
        var mem = TestMachines.BasePage(parent);
        var file = machine.CreateTmpfile();
        file.Pwrite(0, Enumerable.Repeat((byte)0x77, Size).ToArray());
        using var buffer = parent.IoUringRegisterBuffer(mem, Size);
        var child = parent.Fork();
        parent.WriteByte(mem, 2);
        buffer.ReadFixed(file, 0, 0, Size);
        Assert.Equal(parentSeesIt, parent.ReadByte(mem + 1) == 0x77);
        Assert.Equal(!parentSeesIt, child.ReadByte(mem + 1) == 0x77);
    }
}
