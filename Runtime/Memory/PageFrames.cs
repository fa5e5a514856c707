namespace CowGuard.VmModel;

/// <summary>
/// Model device: the memory behind page contents that stopped being uniform. A page stores one fill byte until a
/// partial write needs its 4 KiB; those 4 KiB are a frame carved out of a slab and recycled through a free list when
/// the page is freed or becomes uniform again, so a COW copy, a swap-in or a materialising write allocates nothing on
/// the managed heap in the steady state, and freeing a page leaves no garbage (the kernel's page frames are memory
/// that exists whether or not a page uses it). Slabs grow from 4 to 2,048 frames (8 MiB), so a small machine stays
/// small; the big ones are backed by transparent huge pages where the host allows (<see cref="HostHugePages"/>).
/// Allocation and freeing are under <see cref="LockClass.PageFrames"/>; a frame's bytes belong to the page that owns
/// its id and are accessed under that page's contents lock (or before the page is reachable).
/// </summary>
internal sealed class PageFrames(LockOrderChecker? lockdep)
{
    /// <summary>The largest slab, in frames (2^11 frames of 4 KiB = 8 MiB); a frame id is (slab &lt;&lt; 11 | frame) + 1.</summary>
    private const int SlabShift = 11;
    private const int FirstSlabShift = 2;

    private readonly ModelLock _lock = new(LockClass.PageFrames, lockdep);
    private byte[][] _slabs = [];
    private int _slabCount;
    private int _usedInLastSlab;
    private int[] _free = [];
    private int _freeCount;

    /// <summary>Frames owned by pages or swap slots (for the invariant checker; quiescent machine only).</summary>
    public int InUse { get; private set; }

    /// <summary>A frame for a page that is about to write all 4096 bytes of it (its old contents are undefined).</summary>
    public int Allocate()
    {
        using (_lock.Lock())
        {
            InUse++;
            if (_freeCount > 0)
                return _free[--_freeCount];
            if (_slabCount == 0 || _usedInLastSlab == _slabs[_slabCount - 1].Length >> PageGeometry.PageShift)
                AddSlab();
            return ((_slabCount - 1) << SlabShift | _usedInLastSlab++) + 1;
        }
    }

    public void Free(int frame)
    {
        using (_lock.Lock())
        {
            InUse--;
            if (_freeCount == _free.Length)
                Array.Resize(ref _free, Math.Max(16, _free.Length * 2));
            _free[_freeCount++] = frame;
        }
    }

    /// <summary>The 4096 bytes of a frame (the owner holds the page's contents lock).</summary>
    public Span<byte> Bytes(int frame)
    {
        var id = frame - 1;
        var slab = Volatile.Read(ref _slabs)[id >> SlabShift];
        return slab.AsSpan((id & ((1 << SlabShift) - 1)) << PageGeometry.PageShift, PageGeometry.PageSize);
    }

    /// <summary>
    /// A new slab, published to lock-free readers of <see cref="Bytes"/> by replacing the slab array (never changing it
    /// in place), so a reader sees either the old array or the new one, and both hold every slab it can name. A slab of
    /// a huge page or more is pinned (it never moves) and offered to the host's transparent huge pages before its first
    /// byte is touched.
    /// </summary>
    private void AddSlab()
    {
        var frames = 1 << Math.Min(SlabShift, FirstSlabShift + _slabCount);
        var bytes = frames << PageGeometry.PageShift;
        var huge = bytes >= 2 * (int)PageGeometry.PmdSize;
        var slab = GC.AllocateUninitializedArray<byte>(bytes, pinned: huge);
        if (huge)
            HostHugePages.Advise(slab);
        var slabs = new byte[_slabCount + 1][];
        Array.Copy(_slabs, slabs, _slabCount);
        slabs[_slabCount] = slab;
        Volatile.Write(ref _slabs, slabs);
        _slabCount++;
        _usedInLastSlab = 0;
    }
}
