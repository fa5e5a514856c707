namespace CowGuard.VmModel;

/// <summary>
/// The allocator's set of live folios (under the zone lock), as an array of slots with a free list: each folio knows
/// its slot, like a struct page knows its place in mem_map, so adding and removing are array stores and no object
/// identity is ever hashed. Slots are recycled and pfns are not (they only grow), which keeps the table as small as
/// the number of live folios.
/// </summary>
internal sealed class LiveFolioTable
{
    private Folio?[] _slots = new Folio?[16];
    private int[] _freeSlots = new int[16];
    private int _freeCount;
    private int _used;

    public int Count { get; private set; }

    public void Add(Folio folio)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _freeSlots[--_freeCount];
        }
        else
        {
            if (_used == _slots.Length)
                Array.Resize(ref _slots, _slots.Length * 2);
            slot = _used++;
        }

        _slots[slot] = folio;
        folio.LiveSlot = slot;
        Count++;
    }

    public void Remove(Folio folio)
    {
        var slot = folio.LiveSlot;
        if (!Contains(folio))
            throw new InvariantViolationException($"folio pfn {folio.Pfn} freed twice or never allocated");
        _slots[slot] = null;
        folio.LiveSlot = -1;
        if (_freeCount == _freeSlots.Length)
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        _freeSlots[_freeCount++] = slot;
        Count--;
    }

    public bool Contains(Folio folio)
    {
        var slot = folio.LiveSlot;
        return slot >= 0 && slot < _used && ReferenceEquals(_slots[slot], folio);
    }

    /// <summary>The live folios in slot order (only for a quiescent machine).</summary>
    public IEnumerable<Folio> Enumerate()
    {
        for (var slot = 0; slot < _used; slot++)
        {
            if (_slots[slot] is { } folio)
                yield return folio;
        }
    }
}
