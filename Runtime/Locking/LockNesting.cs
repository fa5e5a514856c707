namespace CowGuard.VmModel;

/// <summary>How an acquisition relates to the lock order (lockdep's subclasses and trylock).</summary>
internal enum LockNesting
{
    /// <summary>An ordinary blocking acquisition: every held lock must come earlier in <see cref="LockClass"/>.</summary>
    None,

    /// <summary>
    /// SINGLE_DEPTH_NESTING: a second lock of a class already held, in a documented order (dup_mmap's
    /// mmap_write_lock_nested of the child mm, copy_pte_range's spin_lock_nested of the parent's PTL).
    /// </summary>
    Nested,

    /// <summary>A trylock: it never waits, so it may go against the order.</summary>
    Trylock,
}
