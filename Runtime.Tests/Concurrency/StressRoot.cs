using System.Buffers.Binary;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// One process driven by several threads sharing its mm. Its owner region is 8 base pages plus 4 pages of a 2 MiB
/// THP-eligible VMA; each owner thread has a 4-byte counter slot in every owner page (other owners' slots share the
/// page, so their writes, COW faults and pins race with each other). Its scratch region is for munmap/mmap, mprotect,
/// MADV_DONTNEED and KSM churn, where only "nobody reads a value nobody wrote" is checked.
/// </summary>
internal sealed class StressRoot
{
    public const int BasePages = 8;
    public const int ScratchPages = 8;
    public const int SlotStride = 64;
    private static readonly int[] ThpPages = [0, 1, 256, 511];

    public StressRoot(Machine machine, int index, int owners)
    {
        Index = index;
        Process = machine.CreateProcess($"p{index}");
        var basePages = Process.Mmap(BasePages * PageGeometry.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Process.Madvise(basePages, BasePages * PageGeometry.PageSize, Advice.NoHugePage);
        var thp = Process.Mmap(PageGeometry.PmdSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Process.Madvise(thp, PageGeometry.PmdSize, Advice.HugePage);
        OwnedPages = [.. Enumerable.Range(0, BasePages).Select(i => basePages + (ulong)i * PageGeometry.PageSize),
            .. ThpPages.Select(i => thp + (ulong)i * PageGeometry.PageSize)];
        Scratch = Process.Mmap(ScratchPages * PageGeometry.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        Process.Madvise(Scratch, ScratchPages * PageGeometry.PageSize, Advice.NoHugePage);
        Process.Madvise(Scratch, ScratchPages * PageGeometry.PageSize, Advice.Mergeable);
        Ledger = new SlotLedger(owners, OwnedPages.Length);
    }

    public int Index { get; }

    public VmProcess Process { get; }

    public ulong[] OwnedPages { get; }

    public ulong Scratch { get; }

    public SlotLedger Ledger { get; }

    public ChildPool Children { get; } = new();

    public static ulong SlotAddress(ulong page, int owner) => page + (ulong)(owner * SlotStride);

    public static uint ReadSlot(VmProcess process, ulong address)
    {
        Span<byte> bytes = stackalloc byte[4];
        process.Read(address, bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public static void WriteSlot(VmProcess process, ulong address, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
        process.Write(address, bytes);
    }

    /// <summary>Every slot of every owner page as the process reads it (owner-major, like the ledger).</summary>
    public uint[] ReadAllSlots(VmProcess process)
    {
        var values = new uint[Ledger.Owners * Ledger.Pages];
        var page = new byte[PageGeometry.PageSize];
        for (var p = 0; p < OwnedPages.Length; p++)
        {
            process.Read(OwnedPages[p], page);
            for (var o = 0; o < Ledger.Owners; o++)
                values[o * Ledger.Pages + p] = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(o * SlotStride));
        }

        return values;
    }
}
