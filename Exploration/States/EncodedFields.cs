using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// Every field of the model's state and of a run, with what <see cref="StateEncoder"/> does with it: encodes it, or
/// leaves it out for the reason given. A test compares this list with the fields the types really have, so a field
/// the model gains fails the build's tests until someone decides how the encoding treats it (leaving out a field that
/// changes what happens next would merge states that differ, and hide violations).
/// </summary>
internal static class EncodedFields
{
    public const string Encoded = "encoded";

    private const string Lock = "a lock: free whenever a state is encoded (between operations)";
    private const string BackReference = "a reference back to the machine or process that holds this object";
    private const string Name = "a name: the encoding numbers what it names by first visit";
    private const string Constant = "the same in every state of an exploration";
    private const string Stateless = "a stateless service object of the machine";

    /// <summary>Per type, per field (properties by their name, primary-constructor parameters by theirs), the decision.</summary>
    public static IReadOnlyDictionary<Type, IReadOnlyDictionary<string, string>> Decisions { get; } = new Dictionary<Type, IReadOnlyDictionary<string, string>>
    {
        [typeof(Machine)] = Fields(
            ("_processes", "encoded: processes that matter, in creation order (ranks)"),
            ("_thpModes", Encoded),
            ("_nextPid", Name), ("_nextFileId", Name),
            ("Era", Constant), ("Options", Constant),
            ("Events", "the event trace: recording is off in explorations, and nothing the model decides reads it"),
            ("Memory", Encoded),
            ("Rmap", Stateless), ("Swapper", Stateless), ("Faults", Stateless), ("GupEngine", Stateless),
            ("Lockdep", "the lock-order checker: off in explorations (its stacks are per thread, not per state)"),
            ("StopMachineLock", Lock), ("RmapLock", Lock), ("KsmLock", Lock),
            ("GupFastRaceHook", "a test seam for thread races: null in explorations")),
        [typeof(PhysicalMemory)] = Fields(
            ("_machine", BackReference),
            ("_lruAddBatch", Encoded),
            ("_live", "the allocator's table of live folios: the live folios are encoded where they are reached, and their count"),
            ("_zoneLock", Lock), ("_lruLock", Lock), ("_hugetlbLock", Lock),
            ("_nextPfn", Name),
            ("ZeroPage", "encoded where it is mapped (its contents are zeros, its counts never change)"),
            ("HugeZeroPage", "encoded where it is mapped (its contents are zeros, its counts never change)"),
            ("Pool2M", Encoded), ("Pool1G", Encoded), ("Swap", Encoded),
            ("Frames", "the bytes of non-uniform pages: encoded as those pages' contents"),
            ("LruAddBatchSize", Constant)),
        [typeof(Folio)] = Fields(
            ("_contentsLocked", Lock), ("_locked", Encoded),
            ("_refsAndPins", "encoded as RefCount and GupPins, the two halves of the word"), ("_entireMapCount", Encoded), ("_pinCount", Encoded), ("_gupGets", Encoded),
            ("_lockdep", "the lock-order checker: off in explorations"),
            ("_frames", "the machine's frame pool (see PhysicalMemory.Frames)"),
            ("_largePages", Encoded), ("_page", Encoded),
            ("Pfn", Name), ("LiveSlot", Name),
            ("Order", Encoded), ("Kind", Encoded), ("IsHugetlb", Encoded), ("IsKsm", Encoded), ("InSwapCache", Encoded),
            ("OnLru", Encoded), ("Dirty", Encoded), ("Freed", Encoded), ("Index", Encoded),
            ("File", "anonymous memory only: a page-cache folio makes the encoder throw")),
        [typeof(Subpage)] = Fields(
            ("Fill", "encoded as contents, values numbered by first visit; left out where nobody can read them any more"),
            ("Frame", "encoded as contents (the frame's bytes), as Fill"),
            ("Patch", "encoded as contents (the bytes with the patch applied), as Fill"),
            ("MapCount", Encoded), ("AnonExclusive", Encoded), ("SwapSlot", Encoded), ("Gets", Encoded), ("Pins", Encoded)),
        [typeof(Pte)] = Fields(
            ("Folio", Encoded), ("Index", Encoded), ("SwapSlot", Encoded),
            ("Bits", "encoded without pte_young, which the model sets and clears but never reads"),
            ("ContentHint", "a cache of where the page's bytes were last seen, for prefetching: nothing the model decides reads it")),
        [typeof(SwapDevice)] = Fields(
            ("_slots", "the slots in use: encoded where swap entries and the swapcache reach them"),
            ("_freeIds", "the order slot ids are reused in: names only"),
            ("_frames", "the machine's frame pool (see PhysicalMemory.Frames)"),
            ("_used", Encoded), ("Lock", Lock), ("Capacity", Constant)),
        [typeof(SwapSlot)] = Fields(("SwapCount", Encoded), ("CachedFolio", Encoded), ("CachedIndex", Encoded), ("Contents", Encoded)),
        [typeof(HugetlbPool)] = Fields(("Order", Constant), ("Total", Constant), ("Free", Encoded), ("Reserved", Encoded)),
        [typeof(LiveFolioTable)] = Fields(
            ("_slots", "allocator positions: names only"), ("_freeSlots", "allocator positions: names only"),
            ("_freeCount", "allocator positions: names only"), ("_used", "allocator positions: names only"), ("Count", Encoded)),
        [typeof(PageFrames)] = Fields(
            ("_lock", Lock), ("_frames", "frame storage: encoded as the contents of the pages that own frames"),
            ("_patches", "patch storage: encoded as the contents of the pages that own patches")),
        [typeof(ModelSpinLock)] = Fields(("_locked", Lock), ("lockClass", Constant), ("lockdep", "the lock-order checker: off in explorations")),
        [typeof(SlabPool)] = Fields(
            ("slotShift", Constant), ("_slotsPerSlabShift", Constant),
            ("_slabs", "slot storage: encoded as the contents of the pages that own slots"),
            ("_slabCount", "slot storage"), ("_usedInLastSlab", "slot storage"), ("_slotsInLastSlab", "slot storage"),
            ("_free", "slot storage"), ("_freeCount", "slot storage"),
            ("InUse", "derived: the slots the encoded pages and slots own")),
        [typeof(VmProcess)] = Fields(
            ("_vmas", Encoded), ("_alive", Encoded), ("_hasPinned", Encoded),
            ("Machine", BackReference), ("Name", Name), ("Pid", Name),
            ("_pageTables", "the published snapshot of the VMAs' page tables: derived from the encoded VMAs"),
            ("_layoutChanged", "false between operations (set and consumed within one mmap_lock write section)"),
            ("_writeProtectSeq", "fork's seqcount: even between operations, and GUP-fast only compares it within one operation"),
            ("MmapLock", Lock), ("PageTableLock", Lock)),
        [typeof(VmArea)] = Fields(
            ("Start", Encoded), ("End", Encoded), ("Flags", Encoded), ("File", "anonymous memory only: a file VMA makes the encoder throw"),
            ("PgOff", Encoded), ("HugetlbOrder", Encoded), ("HugetlbReservationOwner", Encoded), ("HugetlbReservedPages", Encoded),
            ("HugetlbPagesStolen", Encoded), ("Ptes", Encoded),
            ("HugetlbFile", "identity only (which mmap a hugetlb VMA came from, for merging): one mmap per slot, so given by the encoded Start")),
        [typeof(PageReferenceHandle)] = Fields(
            ("_pages", "encoded as HeldPages, the first _count entries (a pooled array may be longer)"), ("_count", Encoded),
            ("_released", Encoded), ("_gate", Lock), ("Flags", Encoded),
            ("Process", "the owner: encoded as the held reference's owner rank"),
            ("Start", "the slot's address: encoded as the held reference's slot"),
            ("StoppedBy", "why a short GUP stopped: read by callers only, never by the model or an oracle")),
        [typeof(Pipe)] = Fields(
            ("_machine", BackReference), ("_ring", "encoded as the queued buffers, oldest first (QueuedBuffers)"),
            ("_head", "ring position: names only"), ("_count", Encoded), ("_bytes", "derived: the queued buffers' lengths"),
            ("CapacityBuffers", Encoded), ("Mutex", Lock)),
        [typeof(Pipe).GetNestedType("PipeBuffer", System.Reflection.BindingFlags.NonPublic)!] = Fields(("Page", Encoded), ("Offset", Encoded), ("Length", Encoded)),
        [typeof(IoUringFixedBuffer)] = Fields(("_pins", "encoded as the held reference's handle")),
        [typeof(PageRef)] = Fields(("Folio", Encoded), ("Index", Encoded)),
        [typeof(ModelRun)] = Fields(
            ("_era", Constant), ("_universe", Constant), ("_targets", Constant), ("_observeEveryView", Constant),
            ("_slotAddress", Constant),
            ("_machine", Encoded), ("_processes", "encoded: processes that matter, by rank"), ("_shadows", Encoded), ("_held", Encoded),
            ("_executed", "the steps of the current step only (an exploring run keeps no history)"),
            ("_nextReferenceId", Name),
            ("_nextValue", "only makes written values fresh; explorations are too short for it to wrap (ExplorationOptions.DepthLimit)"),
            ("_exemptHugetlbGetLeaks", "a tally for the report"),
            ("_violation", "the current step's verdict"), ("_pending", "the current step's verdict"), ("_violatedThisStep", "the current step's verdict"),
            ("Broken", "a state after a model bug is reported and never visited")),
        [typeof(ProcessShadow)] = Fields(
            ("Expected", "encoded: a value some readable page holds, or 'lost' (no read can equal it), or none"),
            ("Known", "encoded: reduced to the values some readable page holds (no read can return the others)"),
            ("Generation", "encoded relative to the held references: whether each reference's mapping is still the current one"),
            ("Alive", Encoded)),
        [typeof(ByteSet)] = Fields(
            ("_bits0", "encoded as a known set (ProcessShadow.Known)"), ("_bits1", "encoded as a known set (ProcessShadow.Known)"),
            ("_bits2", "encoded as a known set (ProcessShadow.Known)"), ("_bits3", "encoded as a known set (ProcessShadow.Known)")),
        [typeof(HeldReference)] = Fields(
            ("Id", Name), ("TakenBy", Encoded), ("Owner", "encoded as the owner's rank"), ("Slot", Encoded),
            ("Generation", "encoded as 'still the owner's current mapping'"), ("Handle", Encoded), ("Pipe", Encoded),
            ("Buffer", "encoded as the kind of reference (its pins are the handle)"), ("Flags", Encoded), ("ReadOnlyCoherencePromised", Encoded)),
    };

    private static IReadOnlyDictionary<string, string> Fields(params (string Field, string Decision)[] fields) =>
        fields.ToDictionary(f => f.Field, f => f.Decision);
}
