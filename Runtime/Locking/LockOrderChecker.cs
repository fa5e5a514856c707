namespace CowGuard.VmModel;

/// <summary>
/// A small lockdep (kernel/locking/lockdep.c): every acquisition of a model lock is checked against the locks the
/// current thread already holds, and an acquisition that could close a cycle — a class not after every held class,
/// a second lock of a held class without <see cref="LockNesting.Nested"/>, or a lock the thread already holds — throws
/// <see cref="InvariantViolationException"/> before it blocks. Switched on by
/// MachineOptions.CheckLockOrder; the held-lock stacks live in the machine, one per thread.
/// </summary>
internal sealed class LockOrderChecker
{
    private readonly ThreadLocal<List<HeldLock>> _held = new(() => []);

    public void Acquire(LockClass lockClass, object instance, LockNesting nesting)
    {
        var held = _held.Value!;
        foreach (var h in held)
        {
            if (h.Class == lockClass && ReferenceEquals(h.Instance, instance))
                throw new InvariantViolationException($"lock order: recursive acquisition of {lockClass}");
            if (nesting == LockNesting.Trylock || h.Class < lockClass)
                continue;
            if (h.Class == lockClass && nesting == LockNesting.Nested && h.Nesting != LockNesting.Nested)
                continue;
            throw new InvariantViolationException($"lock order: {lockClass} acquired while holding {h.Class}");
        }

        held.Add(new HeldLock(lockClass, instance, nesting));
    }

    public void Release(LockClass lockClass, object instance)
    {
        var held = _held.Value!;
        for (var i = held.Count - 1; i >= 0; i--)
        {
            if (held[i].Class == lockClass && ReferenceEquals(held[i].Instance, instance))
            {
                held.RemoveAt(i);
                return;
            }
        }

        throw new InvariantViolationException($"lock order: release of {lockClass}, which this thread does not hold");
    }

    private readonly record struct HeldLock(LockClass Class, object Instance, LockNesting Nesting);
}
