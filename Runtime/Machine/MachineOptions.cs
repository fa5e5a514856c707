namespace CowGuard.VmModel;

/// <summary>How a <see cref="Machine"/> is configured: its era, pools, swap and checking.</summary>
public sealed class MachineOptions
{
    /// <summary>The COW era (default: <see cref="Era.AnonExclusive"/>, the running kernel's).</summary>
    public Era Era { get; init; } = Era.AnonExclusive;

    /// <summary>nr_hugepages for 2 MiB pages (default 0, like a fresh boot).</summary>
    public int HugetlbPages2M { get; init; }

    /// <summary>nr_hugepages for 1 GiB pages (default 0).</summary>
    public int HugetlbPages1G { get; init; }

    /// <summary>Swap slots (base pages) available to swap-out (default 1 Mi slots = 4 GiB of swap).</summary>
    public long SwapPages { get; init; } = 1 << 20;

    /// <summary>transparent_hugepage/use_zero_page: read faults in THP-eligible PMD ranges map the huge zero page.</summary>
    public bool UseHugeZeroPage { get; init; } = true;

    /// <summary>
    /// Size of the per-CPU lru_add batch (PAGEVEC_SIZE 15): fresh small folios hold one extra reference until the batch
    /// drains. 0 puts folios on the LRU at once (no transient reference).
    /// </summary>
    public int LruAddBatchSize { get; init; } = 15;

    /// <summary>Check every invariant after every public operation (costly on huge processes; always on in tests).</summary>
    public bool CheckInvariants { get; init; }

    /// <summary>
    /// Check the lock order on every lock acquisition (a small lockdep): an acquisition that could deadlock throws
    /// <see cref="InvariantViolationException"/> before it waits. Costs a thread-local lookup per lock; on in tests.
    /// </summary>
    public bool CheckLockOrder { get; init; }

    /// <summary>Record the event trace (<see cref="Machine.Events"/>); switch off for large benchmarks.</summary>
    public bool RecordEvents { get; init; } = true;
}
