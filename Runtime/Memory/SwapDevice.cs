namespace CowGuard.VmModel;

/// <summary>
/// A swap device with a finite number of slots (1-based ids; 0 means "no slot"). Everything here — the slot table,
/// swap counts (swap_map), the swapcache pointers and the written-back contents — is under <see cref="Lock"/>
/// (swap_lock); every method expects the caller to hold it, so that check-then-free sequences stay atomic.
/// </summary>
internal sealed class SwapDevice
{
    private readonly List<SwapSlot?> _slots = [null];
    private readonly Stack<int> _freeIds = new();
    private readonly PageFrames _frames;
    private long _used;

    public SwapDevice(long capacity, PageFrames frames, LockOrderChecker? lockdep)
    {
        Capacity = capacity;
        _frames = frames;
        Lock = new ModelLock(LockClass.SwapLock, lockdep);
    }

    /// <summary>swap_lock.</summary>
    public ModelLock Lock { get; }

    public long Capacity { get; }

    /// <summary>Slots in use (readable without the lock).</summary>
    public long Used
    {
        get => Volatile.Read(ref _used);
        private set => Volatile.Write(ref _used, value);
    }

    public bool HasRoomFor(int pages) => Used + pages <= Capacity;

    public int Allocate()
    {
        if (Used >= Capacity)
            throw new OutOfVmMemoryException(null, "swap device full");
        Used++;
        if (_freeIds.TryPop(out var id))
        {
            _slots[id] = new SwapSlot();
            return id;
        }

        _slots.Add(new SwapSlot());
        return _slots.Count - 1;
    }

    public SwapSlot Get(int id) =>
        _slots[id] ?? throw new InvariantViolationException($"swap slot {id} used after it was freed");

    public bool IsAllocated(int id) => id > 0 && id < _slots.Count && _slots[id] is not null;

    /// <summary>swap_free / put_swap_folio: frees the slot once neither a swap PTE nor the swapcache uses it.</summary>
    public void FreeIfUnused(int id)
    {
        var slot = Get(id);
        if (slot.SwapCount > 0 || slot.CachedFolio is not null)
            return;
        slot.Contents.ReleaseStorage(_frames);
        _slots[id] = null;
        _freeIds.Push(id);
        Used--;
    }

    public IEnumerable<(int Id, SwapSlot Slot)> AllocatedSlots()
    {
        for (var id = 1; id < _slots.Count; id++)
        {
            if (_slots[id] is { } slot)
                yield return (id, slot);
        }
    }
}
