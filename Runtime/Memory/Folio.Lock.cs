namespace CowGuard.VmModel;

/// <summary>
/// PG_locked (folio_lock / folio_trylock / folio_unlock). The kernel takes it where the model does: the reuse decision
/// of do_wp_page (a trylock under the PTL; failing means "copy"), the swapcache (do_swap_page sleeps on it before it
/// takes the PTL; folio_free_swap needs it), reclaim (shrink_folio_list's trylock) and KSM merging (trylock). The
/// kernel sleeps on the folio's wait queue; the model spins, yielding and then sleeping (<see cref="SpinWait"/>).
/// </summary>
internal sealed partial class Folio
{
    private int _locked;

    /// <summary>PG_locked is set (the invariant checker requires it clear at quiescent points).</summary>
    public bool IsLocked => Volatile.Read(ref _locked) != 0;

    /// <summary>folio_trylock: may be called under any lock (it never waits).</summary>
    public bool TryLock()
    {
        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
            return false;
        _lockdep?.Acquire(LockClass.FolioLock, this, LockNesting.Trylock);
        return true;
    }

    /// <summary>folio_lock: waits, so never under the anon_vma lock, a PTL or any lock after them.</summary>
    public void Lock()
    {
        _lockdep?.Acquire(LockClass.FolioLock, this, LockNesting.None);
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
            spin.SpinOnce();
    }

    public void Unlock()
    {
        Volatile.Write(ref _locked, 0);
        _lockdep?.Release(LockClass.FolioLock, this);
    }
}
