namespace CowGuard.VmModel;

/// <summary>
/// The model's lock classes in their single acquisition order, outermost first. The order follows mm/rmap.c's
/// "Lock ordering in mm" (inode->i_rwsem, mm->mmap_lock, folio_lock, i_mmap_rwsem / anon_vma->rwsem,
/// mm->page_table_lock, swap_lock, i_pages, lru_lock) with the model's own devices put where they can never close a
/// cycle. A thread may only block on a lock whose class comes after the class of every lock it already holds; a
/// trylock may go against the order because it cannot wait. <see cref="LockOrderChecker"/> enforces this at run time.
/// </summary>
internal enum LockClass
{
    /// <summary>
    /// Model device: the machine-wide barrier every public operation holds shared and
    /// <see cref="Machine.CheckInvariants"/> holds exclusive, so the checker sees a quiescent machine. Its only kernel
    /// counterpart is stop_machine().
    /// </summary>
    StopMachine,

    /// <summary>ksm_thread_mutex: one KSM scan at a time (ksmd takes it before any mmap_lock).</summary>
    KsmThread,

    /// <summary>pipe->mutex (pipe_lock): vmsplice holds it across its GUP, which may take mmap_lock.</summary>
    PipeMutex,

    /// <summary>inode->i_rwsem: pwrite, fallocate and truncate of a <see cref="MemFile"/>.</summary>
    InodeRwsem,

    /// <summary>Model device: a GUP handle's release against device accesses through it.</summary>
    PageReferenceHandle,

    /// <summary>mm->mmap_lock (an rw_semaphore per process).</summary>
    MmapLock,

    /// <summary>PG_locked (folio_lock): reuse decisions, the swapcache, KSM merging.</summary>
    FolioLock,

    /// <summary>
    /// anon_vma->rwsem and mapping->i_mmap_rwsem folded into one machine-wide rw_semaphore that also guards the process
    /// list: rmap walks take it shared, changes to any process's VMA list take it exclusive.
    /// </summary>
    AnonVma,

    /// <summary>mm->page_table_lock: one page-table lock per process (a !USE_SPLIT_PTE_PTLOCKS kernel).</summary>
    PageTableLock,

    /// <summary>mapping->i_pages (the xa_lock of a file's page cache).</summary>
    IPages,

    /// <summary>swap_lock / si->lock: swap slots, swap counts (swap_map) and the swapcache.</summary>
    SwapLock,

    /// <summary>lruvec->lru_lock, standing also for the per-CPU lru_add batch's local_lock.</summary>
    LruLock,

    /// <summary>hugetlb_lock: free and reserved huge pages of both pools.</summary>
    HugetlbLock,

    /// <summary>zone->lock: the page allocator (pfns and the set of live folios).</summary>
    ZoneLock,

    /// <summary>
    /// Model device: the bytes of one folio. A CPU store is atomic per byte on real memory; the model stores page
    /// contents as a fill byte or an array, so concurrent partial writes need a lock not to lose each other.
    /// </summary>
    PageContents,

    /// <summary>
    /// Model device: the pools of 4 KiB frames and 64-byte patches behind non-uniform page contents
    /// (<see cref="PageFrames"/>), taken when a page under its contents lock gets or gives back a frame or patch, and
    /// when a swap slot does under swap_lock.
    /// </summary>
    PageFrames,

    /// <summary>Model device: the event trace buffer.</summary>
    EventLog,
}
