namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// What the trace of a stress run shows, drained while it runs: GUP-fast pages taken and fallbacks by reason (the
/// write_protect_seq ones are the GUP-fast/fork races), forks, and that sequence numbers only grow.
/// </summary>
internal sealed class StressEvents
{
    private const int RecentCapacity = 200_000;
    private readonly Queue<VmEvent> _recent = new();
    private long _lastSequence = -1;

    public long Events { get; private set; }

    public long FastPages { get; private set; }

    public long Forks { get; private set; }

    public long Exits { get; private set; }

    public Dictionary<string, long> Fallbacks { get; } = [];

    public void Tally(IReadOnlyList<VmEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Sequence <= _lastSequence)
                throw new StressOracleException($"event #{e.Sequence} recorded after #{_lastSequence}: the trace lost its order");
            _lastSequence = e.Sequence;
            Events++;
            _recent.Enqueue(e);
            if (_recent.Count > RecentCapacity)
                _recent.Dequeue();
            switch (e.Kind)
            {
                case VmEventKind.GupFastFallback:
                    Fallbacks[e.Detail] = Fallbacks.GetValueOrDefault(e.Detail) + 1;
                    break;
                case VmEventKind.Get or VmEventKind.Pin when e.Detail == "fast":
                    FastPages++;
                    break;
                case VmEventKind.Process when e.Detail.StartsWith("forked ", StringComparison.Ordinal):
                    Forks++;
                    break;
                case VmEventKind.Process when e.Detail == "exited":
                    Exits++;
                    break;
            }
        }
    }

    /// <summary>For a failure report: the last recorded events that touched a page frame (before or after state).</summary>
    public IEnumerable<VmEvent> RecentFor(long pfn, int count) =>
        _recent.Where(e => e.Before?.Pfn == pfn || e.After?.Pfn == pfn).TakeLast(count);
}
