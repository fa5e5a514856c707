using Xunit;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>The small lockdep: acquisitions that could close a cycle throw before they wait.</summary>
public sealed class LockOrderCheckerTests
{
    private readonly LockOrderChecker _lockdep = new();

    [Fact]
    public void Taking_mmap_lock_under_a_page_table_lock_is_refused()
    {
        var mmap = new RwSemaphore(LockClass.MmapLock, _lockdep);
        var ptl = new ModelLock(LockClass.PageTableLock, _lockdep);
        using (ptl.Lock())
        {
            var error = Assert.Throws<InvariantViolationException>(() => mmap.Read());
            Assert.Contains("MmapLock acquired while holding PageTableLock", error.Message, StringComparison.Ordinal);
        }

        using (mmap.Read())
        using (ptl.Lock())
        {
            // the documented order is fine
        }
    }

    [Fact]
    public void One_level_of_annotated_nesting_is_allowed_and_only_one()
    {
        var parent = new RwSemaphore(LockClass.MmapLock, _lockdep);
        var child = new RwSemaphore(LockClass.MmapLock, _lockdep);
        var third = new RwSemaphore(LockClass.MmapLock, _lockdep);
        using (parent.Write())
        {
            Assert.Throws<InvariantViolationException>(() => child.Write());
            using (child.Write(LockNesting.Nested))
                Assert.Throws<InvariantViolationException>(() => third.Write(LockNesting.Nested));
        }
    }

    [Fact]
    public void A_second_acquisition_of_a_held_lock_is_refused_even_for_read()
    {
        var barrier = new RwSemaphore(LockClass.StopMachine, _lockdep);
        using (barrier.Read())
        {
            var error = Assert.Throws<InvariantViolationException>(() => barrier.Read());
            Assert.Contains("recursive", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_trylock_may_go_against_the_order()
    {
        var machine = new Machine(new MachineOptions { CheckLockOrder = true });
        var folio = machine.Memory.Allocate(0, FolioKind.Anon, 0);
        var ptl = new ModelLock(LockClass.PageTableLock, machine.Lockdep);
        using (ptl.Lock())
        {
            Assert.True(folio.TryLock());
            folio.Unlock();
            Assert.Throws<InvariantViolationException>(folio.Lock);
        }
    }

    [Fact]
    public void Releasing_a_lock_the_thread_does_not_hold_is_refused() =>
        Assert.Throws<InvariantViolationException>(() => _lockdep.Release(LockClass.ZoneLock, new object()));
}
