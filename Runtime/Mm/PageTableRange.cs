namespace CowGuard.VmModel;

/// <summary>
/// One VMA's page table as GUP-fast and the MMU-side user access see it: an immutable (start, entries) pair from the
/// mm's published snapshot, with the VMA that owned the entries when it was published (its flags are read racily,
/// as mprotect orders against the entries under the PTL). The entries array is only ever used at this start address;
/// once its VMA gets another array it is cleared.
/// </summary>
internal readonly record struct PageTableRange(ulong Start, ulong End, Pte[] Entries, VmArea Vma)
{
    public int IndexOf(ulong address) => (int)((address - Start) >> PageGeometry.PageShift);
}
