using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace CowGuard.VmModel;

/// <summary>
/// Fixed-size slots carved out of slabs and recycled through a free list: the storage behind <see cref="PageFrames"/>
/// (4 KiB frames and 64-byte patches). Slabs grow from 16 KiB to 8 MiB, so a small machine stays small, and every slab
/// is pinned with its first slot aligned to a cache line, so a slot of 64 bytes is one line. Slabs of a huge page or
/// more are offered to the host's transparent huge pages (<see cref="HostHugePages"/>) before their first byte is
/// touched. Not synchronised: the owner allocates and frees under its lock; <see cref="Slot"/> is lock-free (a slot's
/// bytes belong to whoever holds its id).
/// </summary>
internal sealed class SlabPool(int slotShift)
{
    /// <summary>The largest slab: 2^23 bytes (8 MiB); a slot id is (slab &lt;&lt; SlotsPerSlabShift | slot) + 1.</summary>
    private const int LargestSlabShift = 23;
    private const int FirstSlabShift = 14;
    private const int CacheLine = 64;

    private readonly int _slotsPerSlabShift = LargestSlabShift - slotShift;
    private (byte[] Bytes, int Base)[] _slabs = [];
    private int _slabCount;
    private int _usedInLastSlab;
    private int _slotsInLastSlab;
    private int[] _free = [];
    private int _freeCount;

    /// <summary>Slots handed out and not freed.</summary>
    public int InUse { get; private set; }

    /// <summary>A slot whose old contents are undefined.</summary>
    public int Allocate()
    {
        InUse++;
        if (_freeCount > 0)
            return _free[--_freeCount];
        if (_usedInLastSlab == _slotsInLastSlab)
            AddSlab();
        return ((_slabCount - 1) << _slotsPerSlabShift | _usedInLastSlab++) + 1;
    }

    public void Free(int slot)
    {
        InUse--;
        if (_freeCount == _free.Length)
            Array.Resize(ref _free, Math.Max(16, _free.Length * 2));
        _free[_freeCount++] = slot;
    }

    /// <summary>The bytes of a slot.</summary>
    public Span<byte> Slot(int slot)
    {
        var id = slot - 1;
        var (bytes, start) = Volatile.Read(ref _slabs)[id >> _slotsPerSlabShift];
        return bytes.AsSpan(start + ((id & ((1 << _slotsPerSlabShift) - 1)) << slotShift), 1 << slotShift);
    }

    /// <summary>
    /// Asks the CPU to start loading the cache line of a slot's byte (prefetcht0). The slot may be stale — freed, or
    /// never handed out by this pool — as a prefetch never faults and changes nothing; ids beyond the slabs are ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every user access, where a call costs more than the prefetch
    public unsafe void Prefetch(int slot, int offset)
    {
        var id = slot - 1;
        var slabs = Volatile.Read(ref _slabs);
        if (!Sse.IsSupported || (uint)(id >> _slotsPerSlabShift) >= (uint)slabs.Length)
            return;
        var (bytes, start) = slabs[id >> _slotsPerSlabShift];
        var at = start + ((id & ((1 << _slotsPerSlabShift) - 1)) << slotShift) + (offset & ((1 << slotShift) - 1));
        if ((uint)at < (uint)bytes.Length)
            Sse.Prefetch0(Unsafe.AsPointer(ref bytes[at]));
    }

    /// <summary>
    /// A new slab, published to lock-free readers of <see cref="Slot"/> by replacing the slab array (never changing it
    /// in place), so a reader sees either the old array or the new one, and both hold every slab it can name.
    /// </summary>
    private void AddSlab()
    {
        var length = 1 << Math.Min(LargestSlabShift, FirstSlabShift + _slabCount);
        var bytes = GC.AllocateUninitializedArray<byte>(length + CacheLine, pinned: true);
        var misalignment = (int)((ulong)Marshal.UnsafeAddrOfPinnedArrayElement(bytes, 0) & (CacheLine - 1));
        var start = (CacheLine - misalignment) & (CacheLine - 1);
        if (length >= 2 * (int)PageGeometry.PmdSize)
            HostHugePages.Advise(bytes);
        var slabs = new (byte[] Bytes, int Base)[_slabCount + 1];
        Array.Copy(_slabs, slabs, _slabCount);
        slabs[_slabCount] = (bytes, start);
        Volatile.Write(ref _slabs, slabs);
        _slabCount++;
        _usedInLastSlab = 0;
        _slotsInLastSlab = length >> slotShift;
    }
}
