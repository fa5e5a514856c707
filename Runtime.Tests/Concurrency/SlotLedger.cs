namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// The values the owner threads of one process wrote into their slots (one 4-byte counter per owner and page). A
/// write of value v is announced (Started = v) before it begins and published (Completed = v) after it returned, so a
/// read that overlaps it may see v - 1 or v, and anything outside [Completed before the read, Started after it] is a
/// lost update or a value nobody wrote.
/// </summary>
internal sealed class SlotLedger(int owners, int pages)
{
    private readonly int[] _started = new int[owners * pages];
    private readonly int[] _completed = new int[owners * pages];

    public int Owners { get; } = owners;

    public int Pages { get; } = pages;

    /// <summary>Announces the owner's next write of its slot on a page and returns the value to write.</summary>
    public int Begin(int owner, int page) => Interlocked.Increment(ref _started[owner * Pages + page]);

    public void Complete(int owner, int page, int value) => Volatile.Write(ref _completed[owner * Pages + page], value);

    public int Completed(int owner, int page) => Volatile.Read(ref _completed[owner * Pages + page]);

    public int Started(int owner, int page) => Volatile.Read(ref _started[owner * Pages + page]);

    public int[] SnapshotCompleted() => Snapshot(_completed);

    public int[] SnapshotStarted() => Snapshot(_started);

    private static int[] Snapshot(int[] values)
    {
        var copy = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
            copy[i] = Volatile.Read(ref values[i]);
        return copy;
    }
}
