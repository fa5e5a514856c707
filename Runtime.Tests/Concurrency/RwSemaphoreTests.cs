using Xunit;

namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>The rw_semaphore behind mmap_lock, the anon_vma lock and the stop_machine barrier.</summary>
public sealed class RwSemaphoreTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Readers_share_and_a_writer_excludes_everyone()
    {
        var semaphore = new RwSemaphore(LockClass.MmapLock, new LockOrderChecker());
        int readers = 0, writers = 0, violations = 0, maxReaders = 0;
        var threads = Enumerable.Range(0, 6).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 3_000; i++)
            {
                if ((i + t) % 5 == 0)
                {
                    using (semaphore.Write())
                    {
                        if (Interlocked.Increment(ref writers) != 1 || Volatile.Read(ref readers) != 0)
                            Interlocked.Increment(ref violations);
                        Thread.SpinWait(20);
                        Interlocked.Decrement(ref writers);
                    }
                }
                else
                {
                    using (semaphore.Read())
                    {
                        var now = Interlocked.Increment(ref readers);
                        InterlockedMax(ref maxReaders, now);
                        if (Volatile.Read(ref writers) != 0)
                            Interlocked.Increment(ref violations);
                        Thread.SpinWait(20);
                        Interlocked.Decrement(ref readers);
                    }
                }
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(Patience), "a thread did not finish: lost wake-up or deadlock"));
        Assert.Equal(0, violations);
        Assert.True(maxReaders >= 1);
    }

    [Fact]
    public void A_waiting_writer_holds_back_new_readers()
    {
        var semaphore = new RwSemaphore(LockClass.MmapLock, lockdep: null);
        var order = new List<string>();
        var firstReader = semaphore.Read();
        var writer = new Thread(() =>
        {
            using (semaphore.Write())
                lock (order)
                    order.Add("writer");
        }) { IsBackground = true };
        writer.Start();
        WaitUntilBlocked(writer);
        var secondReader = new Thread(() =>
        {
            using (semaphore.Read())
                lock (order)
                    order.Add("second reader");
        }) { IsBackground = true };
        secondReader.Start();
        WaitUntilBlocked(secondReader);
        lock (order)
            Assert.Empty(order);

        firstReader.Dispose();
        Assert.True(writer.Join(Patience));
        Assert.True(secondReader.Join(Patience));
        Assert.Equal(["writer", "second reader"], order);
    }

    private static void WaitUntilBlocked(Thread thread)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((thread.ThreadState & ThreadState.WaitSleepJoin) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "thread never blocked");
            Thread.Sleep(1);
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
