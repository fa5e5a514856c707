namespace CowGuard.VmModel;

/// <summary>
/// A spinlock_t or mutex of the model (swap_lock, zone->lock, pipe->mutex …; page_table_lock, taken on every user
/// access, is a <see cref="ModelSpinLock"/>): a <see cref="System.Threading.Lock"/> with a lock class for
/// <see cref="LockOrderChecker"/>. Functions that drop and
/// retake it around work the kernel does unlocked (wp_page_copy's allocation, do_swap_page's folio_lock) use
/// <see cref="Enter"/> / <see cref="Exit"/>; everything else uses the scope.
/// </summary>
internal sealed class ModelLock(LockClass lockClass, LockOrderChecker? lockdep)
{
    private readonly Lock _lock = new();

    /// <summary>spin_lock / mutex_lock, released when the scope is disposed.</summary>
    public Scope Lock(LockNesting nesting = LockNesting.None)
    {
        Enter(nesting);
        return new Scope(this);
    }

    public void Enter(LockNesting nesting = LockNesting.None)
    {
        lockdep?.Acquire(lockClass, this, nesting);
        _lock.Enter();
    }

    public void Exit()
    {
        _lock.Exit();
        lockdep?.Release(lockClass, this);
    }

    /// <summary>A held lock; disposing it unlocks.</summary>
    internal readonly ref struct Scope(ModelLock owner)
    {
        public void Dispose() => owner.Exit();
    }
}
