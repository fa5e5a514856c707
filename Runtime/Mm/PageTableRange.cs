namespace CowGuard.VmModel;

/// <summary>
/// One VMA's page table as GUP-fast sees it: an immutable (start, entries) pair from the mm's published snapshot. The
/// entries array is only ever used at this start address; once its VMA gets another array it is cleared.
/// </summary>
internal readonly record struct PageTableRange(ulong Start, ulong End, Pte[] Entries)
{
    public int IndexOf(ulong address) => (int)((address - Start) >> PageGeometry.PageShift);
}
