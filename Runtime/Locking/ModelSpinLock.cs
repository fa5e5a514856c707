namespace CowGuard.VmModel;

/// <summary>
/// A spinlock_t of the model taken on every user access: page_table_lock (the kernel's PTL is a spinlock). Taking it
/// is one compare-exchange and releasing it one store, where a <see cref="System.Threading.Lock"/> also reads a
/// thread-local owner id on both. Not recursive, like the kernel's; the lock-order checker reports a recursive
/// acquisition or a release by a non-owner when it is on. Holders never sleep (the model drops the PTL around work
/// the kernel does unlocked), so a waiter spins, yielding the CPU as <see cref="SpinWait"/> escalates.
/// </summary>
internal sealed class ModelSpinLock(LockClass lockClass, LockOrderChecker? lockdep)
{
    private int _locked;

    /// <summary>spin_lock, released when the scope is disposed.</summary>
    public Scope Lock(LockNesting nesting = LockNesting.None)
    {
        Enter(nesting);
        return new Scope(this);
    }

    public void Enter(LockNesting nesting = LockNesting.None)
    {
        lockdep?.Acquire(lockClass, this, nesting);
        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
            EnterContended();
    }

    public void Exit()
    {
        Volatile.Write(ref _locked, 0);
        lockdep?.Release(lockClass, this);
    }

    private void EnterContended()
    {
        var spin = default(SpinWait);
        do
        {
            spin.SpinOnce();
        }
        while (Volatile.Read(ref _locked) != 0 || Interlocked.CompareExchange(ref _locked, 1, 0) != 0);
    }

    /// <summary>A held lock; disposing it unlocks.</summary>
    internal readonly ref struct Scope(ModelSpinLock owner)
    {
        public void Dispose() => owner.Exit();
    }
}
