using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Model;

/// <summary>
/// A page's bytes read back as written whichever way the model stores them: a fill byte, a patch of a few differing
/// bytes, or a 4 KiB frame once the patch is full — through COW copies, partial fills and writes, swap and KSM.
/// </summary>
public sealed class PageStorageTests
{
    private const int Size = TestMachines.PageSize;

    /// <summary>More single-byte writes than a patch holds, one offset written twice: each read matches a plain array.</summary>
    [Fact]
    public void Sparse_byte_writes_read_back_before_and_after_the_page_takes_a_frame()
    {
        var (_, process, mem) = Setup();
        var expected = Filled(0x01);
        for (var i = 0; i < 2 * PagePatch.Capacity; i++)
        {
            var offset = (i * 211) % Size;
            var value = (byte)(i + 2);
            process.WriteByte(mem + (ulong)offset, value);
            expected[offset] = value;
            process.WriteByte(mem + 7, (byte)i); // rewrites one offset: one patch entry, not a new one each time
            expected[7] = (byte)i;
            Assert.Equal(expected, process.ReadBytes(mem, Size));
            Assert.Equal(value, process.ReadByte(mem + (ulong)offset));
            Assert.Equal(expected[4095], process.ReadByte(mem + 4095));
        }
    }

    [Fact]
    public void A_byte_written_back_to_the_fill_value_reads_as_written()
    {
        var (_, process, mem) = Setup();
        process.WriteByte(mem + 100, 9);
        process.WriteByte(mem + 100, 0x01);
        process.WriteByte(mem + 200, 0x01);
        Assert.Equal(Filled(0x01), process.ReadBytes(mem, Size));
    }

    [Fact]
    public void A_COW_copy_of_a_patched_page_is_independent_of_the_original()
    {
        var (_, parent, mem) = Setup();
        parent.WriteByte(mem + 10, 0xaa);
        var child = parent.Fork();
        child.WriteByte(mem + 20, 0xbb);
        parent.WriteByte(mem + 10, 0xcc);
        var parentBytes = Filled(0x01);
        parentBytes[10] = 0xcc;
        var childBytes = Filled(0x01);
        childBytes[10] = 0xaa;
        childBytes[20] = 0xbb;
        Assert.Equal(parentBytes, parent.ReadBytes(mem, Size));
        Assert.Equal(childBytes, child.ReadBytes(mem, Size));
    }

    [Fact]
    public void Partial_fills_and_writes_over_a_patched_page_keep_the_patched_bytes_outside_them()
    {
        var (_, process, mem) = Setup();
        process.WriteByte(mem + 5, 0x55);
        process.WriteByte(mem + 3000, 0x66);
        process.Fill(mem + 2000, 100, 0x01);
        process.Write(mem + 2500, [0x01, 0x01]);
        var expected = Filled(0x01);
        expected[5] = 0x55;
        expected[3000] = 0x66;
        Assert.Equal(expected, process.ReadBytes(mem, Size));
        process.Fill(mem, Size, 0x02);
        Assert.Equal(Filled(0x02), process.ReadBytes(mem, Size));
    }

    [Fact]
    public void A_patched_page_survives_swap_out_and_in()
    {
        var (_, process, mem) = Setup();
        process.WriteByte(mem + 42, 0x42);
        process.Madvise(mem, Size, Advice.PageOut);
        Assert.True(process.Inspect(mem).Swapped);
        var expected = Filled(0x01);
        expected[42] = 0x42;
        Assert.Equal(expected, process.ReadBytes(mem, Size));
    }

    [Fact]
    public void KSM_merges_a_patched_page_with_a_framed_page_of_the_same_bytes()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = process.Mmap(2 * Size, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(mem, 2 * Size, 0x33);
        process.WriteByte(mem + 1, 0x44);
        var framed = Filled(0x33);
        framed[1] = 0x44;
        process.Write(mem + Size, framed);
        process.Madvise(mem, 2 * Size, Advice.Mergeable);
        Assert.Equal(1, machine.KsmScan());
        Assert.Equal(process.Inspect(mem).Page!.Value.Pfn, process.Inspect(mem + Size).Page!.Value.Pfn);
        Assert.Equal(framed, process.ReadBytes(mem, Size));
    }

    private static (Machine Machine, VmProcess Process, ulong Mem) Setup()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        return (machine, process, TestMachines.BasePage(process));
    }

    private static byte[] Filled(byte value) => Enumerable.Repeat(value, Size).ToArray();
}
