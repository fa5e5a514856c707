using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// A model machine for measurement: the 6.18 era of the machine under test (AnonExclusive), no per-operation invariant
/// checks and no event trace (both are debugging aids whose cost grows with the run, not part of the operations).
/// </summary>
internal static class ModelWorld
{
    public const ulong PageSize = 4096;

    public static Machine CreateMachine(long swapPages = 1 << 20) => new(new MachineOptions
    {
        Era = Era.AnonExclusive,
        CheckInvariants = false,
        RecordEvents = false,
        SwapPages = swapPages,
    });

    /// <summary>A process with <paramref name="pages"/> private anonymous pages, every one written (like memset in C).</summary>
    public static (Machine Machine, VmProcess Process, ulong Start) ProcessWithTouchedPages(int pages, byte fill = 0x5a)
    {
        var machine = CreateMachine();
        var process = machine.CreateProcess("bench");
        var length = (ulong)pages * PageSize;
        var start = process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.Fill(start, length, fill);
        return (machine, process, start);
    }

    /// <summary>Writes one byte into every page: one write fault (COW or reuse) per page, as the C side does.</summary>
    public static void WriteEveryPage(VmProcess process, ulong start, int pages, byte value)
    {
        for (var i = 0; i < pages; i++)
        {
            process.WriteByte(start + ((ulong)i * PageSize), value);
        }
    }

    /// <summary>Reads one byte from every page and folds them, so the reads cannot be dropped.</summary>
    public static int ReadEveryPage(VmProcess process, ulong start, int pages)
    {
        var sum = 0;
        for (var i = 0; i < pages; i++)
        {
            sum += process.ReadByte(start + ((ulong)i * PageSize));
        }

        return sum;
    }
}
