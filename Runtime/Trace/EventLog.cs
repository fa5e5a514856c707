using System.Collections;

namespace CowGuard.VmModel;

/// <summary>
/// The machine's event trace. Recording can be switched off (<see cref="MachineOptions.RecordEvents"/>, or
/// <see cref="Enabled"/> at run time) for large benchmarks, where one record per page would dominate the cost.
/// Operations on several threads append under one lock, so sequence numbers give the order in which events were
/// recorded; enumerating the log enumerates a snapshot.
/// </summary>
public sealed class EventLog : IReadOnlyList<VmEvent>
{
    private readonly List<VmEvent> _events = [];
    private readonly ModelLock _lock;
    private long _nextSequence;

    internal EventLog(bool enabled, LockOrderChecker? lockdep)
    {
        Enabled = enabled;
        _lock = new ModelLock(LockClass.EventLog, lockdep);
    }

    /// <summary>Whether events are recorded.</summary>
    public bool Enabled { get; set; }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            using (_lock.Lock())
                return _events.Count;
        }
    }

    /// <inheritdoc />
    public VmEvent this[int index]
    {
        get
        {
            using (_lock.Lock())
                return _events[index];
        }
    }

    /// <summary>Forgets the recorded events (sequence numbers keep counting).</summary>
    public void Clear()
    {
        using (_lock.Lock())
            _events.Clear();
    }

    /// <summary>
    /// Returns the events recorded so far and forgets them, in one step, so a consumer can follow a long (possibly
    /// multi-threaded) run without the log growing and without losing events recorded while it reads.
    /// </summary>
    public IReadOnlyList<VmEvent> Drain()
    {
        using (_lock.Lock())
        {
            var drained = _events.ToArray();
            _events.Clear();
            return drained;
        }
    }

    /// <summary>The events of one kind, in order.</summary>
    public IEnumerable<VmEvent> OfKind(VmEventKind kind) => Snapshot().Where(e => e.Kind == kind);

    /// <inheritdoc />
    public IEnumerator<VmEvent> GetEnumerator() => ((IEnumerable<VmEvent>)Snapshot()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Record(VmEventKind kind, string process, ulong address, PageState? before, PageState? after, string detail)
    {
        if (!Enabled)
            return;
        using (_lock.Lock())
            _events.Add(new VmEvent(_nextSequence++, kind, process, address, before, after, detail));
    }

    private VmEvent[] Snapshot()
    {
        using (_lock.Lock())
            return _events.ToArray();
    }
}
