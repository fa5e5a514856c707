using System.Collections;

namespace CowGuard.VmModel;

/// <summary>
/// The machine's event trace. Recording can be switched off (<see cref="MachineOptions.RecordEvents"/>, or
/// <see cref="Enabled"/> at run time) for large benchmarks, where one record per page would dominate the cost.
/// </summary>
public sealed class EventLog : IReadOnlyList<VmEvent>
{
    private readonly List<VmEvent> _events = [];
    private long _nextSequence;

    internal EventLog(bool enabled) => Enabled = enabled;

    /// <summary>Whether events are recorded.</summary>
    public bool Enabled { get; set; }

    /// <inheritdoc />
    public int Count => _events.Count;

    /// <inheritdoc />
    public VmEvent this[int index] => _events[index];

    /// <summary>Forgets the recorded events (sequence numbers keep counting).</summary>
    public void Clear() => _events.Clear();

    /// <summary>The events of one kind, in order.</summary>
    public IEnumerable<VmEvent> OfKind(VmEventKind kind) => _events.Where(e => e.Kind == kind);

    /// <inheritdoc />
    public IEnumerator<VmEvent> GetEnumerator() => _events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Record(VmEventKind kind, string process, ulong address, PageState? before, PageState? after, string detail)
    {
        if (!Enabled)
            return;
        _events.Add(new VmEvent(_nextSequence++, kind, process, address, before, after, detail));
    }
}
