namespace CowGuard.VmModel;

/// <summary>
/// An rw_semaphore (kernel/locking/rwsem.c) for mmap_lock, the machine's anon_vma lock and the stop_machine barrier:
/// many readers or one writer, no recursion, and writer preference — a reader arriving while a writer waits queues
/// behind it (the kernel's handoff), so a writer is never starved and a thread must never take the same rwsem for read
/// twice (the second down_read can deadlock behind a waiting writer). The uncontended paths are one compare-exchange
/// and allocate nothing; waiters sleep on a monitor.
/// </summary>
internal sealed class RwSemaphore(LockClass lockClass, LockOrderChecker? lockdep)
{
    private const int WriterHeld = -1;
    private readonly object _waitQueue = new();
    private int _state; // > 0: that many readers; WriterHeld: one writer; 0: free
    private int _writersWaiting;
    private int _sleepers;

    /// <summary>down_read.</summary>
    public ReadScope Read(LockNesting nesting = LockNesting.None)
    {
        lockdep?.Acquire(lockClass, this, nesting);
        var state = Volatile.Read(ref _state);
        if (state < 0 || Volatile.Read(ref _writersWaiting) != 0 || Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            DownReadSlow();
        return new ReadScope(this);
    }

    /// <summary>down_write.</summary>
    public WriteScope Write(LockNesting nesting = LockNesting.None)
    {
        lockdep?.Acquire(lockClass, this, nesting);
        if (Interlocked.CompareExchange(ref _state, WriterHeld, 0) != 0)
            DownWriteSlow();
        return new WriteScope(this);
    }

    private void UpRead()
    {
        if (Interlocked.Decrement(ref _state) == 0 && Volatile.Read(ref _sleepers) != 0)
            WakeAll();
        lockdep?.Release(lockClass, this);
    }

    /// <summary>up_write, for owners that keep their own scope type (an mm publishing its page tables first).</summary>
    internal void UpWrite()
    {
        Interlocked.Exchange(ref _state, 0);
        if (Volatile.Read(ref _sleepers) != 0)
            WakeAll();
        lockdep?.Release(lockClass, this);
    }

    private void DownReadSlow()
    {
        lock (_waitQueue)
        {
            Interlocked.Increment(ref _sleepers);
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if (state >= 0 && Volatile.Read(ref _writersWaiting) == 0)
                {
                    if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
                        break;
                    continue;
                }

                Monitor.Wait(_waitQueue);
            }

            Interlocked.Decrement(ref _sleepers);
        }
    }

    private void DownWriteSlow()
    {
        lock (_waitQueue)
        {
            Interlocked.Increment(ref _sleepers);
            Interlocked.Increment(ref _writersWaiting);
            while (Interlocked.CompareExchange(ref _state, WriterHeld, 0) != 0)
                Monitor.Wait(_waitQueue);
            Interlocked.Decrement(ref _writersWaiting);
            Interlocked.Decrement(ref _sleepers);
            // Readers that queued behind this writer wait for its up_write; other writers keep waiting for the state.
        }
    }

    /// <summary>
    /// Sleepers register under the monitor before they test the state, and releasers publish the state with a full
    /// fence before they read the sleeper count, so a release either sees the sleeper or the sleeper sees the release.
    /// </summary>
    private void WakeAll()
    {
        lock (_waitQueue)
            Monitor.PulseAll(_waitQueue);
    }

    /// <summary>A held read lock; disposing it is up_read.</summary>
    internal readonly ref struct ReadScope(RwSemaphore semaphore)
    {
        public void Dispose() => semaphore.UpRead();
    }

    /// <summary>A held write lock; disposing it is up_write.</summary>
    internal readonly ref struct WriteScope(RwSemaphore semaphore)
    {
        public void Dispose() => semaphore.UpWrite();
    }
}
