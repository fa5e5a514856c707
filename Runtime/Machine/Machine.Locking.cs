namespace CowGuard.VmModel;

/// <summary>
/// The machine-wide locks (docs/vmmodel.md, "Concurrency and locking", has the full list and order). Per-process
/// locks (mmap_lock, page_table_lock) live in <see cref="VmProcess"/>, allocator, pool, lru and swap locks in
/// <see cref="PhysicalMemory"/> and <see cref="SwapDevice"/>.
/// </summary>
public sealed partial class Machine
{
    /// <summary>The lock-order checker, or null unless <see cref="MachineOptions.CheckLockOrder"/> is on.</summary>
    internal LockOrderChecker? Lockdep { get; }

    /// <summary>
    /// Model device, stop_machine() in the kernel: every public operation holds it shared from start to end;
    /// <see cref="CheckInvariants"/> holds it exclusive. Writer preference makes the checker wait only for the running
    /// operations, so a check is a quiescent point even under load.
    /// </summary>
    internal RwSemaphore StopMachineLock { get; }

    /// <summary>
    /// Every anon_vma->rwsem and mapping->i_mmap_rwsem folded into one: rmap walks hold it shared; changes to the
    /// process list and to any process's VMA list (insert, remove, split, merge, move) hold it exclusive.
    /// </summary>
    internal RwSemaphore RmapLock { get; }

    /// <summary>ksm_thread_mutex: one KSM scan at a time.</summary>
    internal ModelLock KsmLock { get; }

    /// <summary>
    /// Test seam: called by GUP-fast between its lockless read of an entry (and the reference it took) and its re-check
    /// of that entry and of write_protect_seq — the window in which fork, munmap or a COW may run. Null in production.
    /// </summary>
    internal Action<VmProcess, ulong>? GupFastRaceHook { get; set; }

    /// <summary>
    /// Entry of a public operation: the shared side of the stop_machine barrier. Never taken twice by one thread (a
    /// public operation calls the unlocked cores of others, not their public entry points).
    /// </summary>
    internal RwSemaphore.ReadScope EnterOperation() => StopMachineLock.Read();
}
