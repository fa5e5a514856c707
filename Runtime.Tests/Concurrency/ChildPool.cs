namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>The live children of one root; a child leaves the pool before it exits, so only stale users race its exit.</summary>
internal sealed class ChildPool
{
    public const int MaxChildren = 3;
    private readonly List<StressChild> _children = [];

    public bool HasRoom
    {
        get
        {
            lock (_children)
                return _children.Count < MaxChildren;
        }
    }

    public void Add(StressChild child)
    {
        lock (_children)
            _children.Add(child);
    }

    public StressChild? Pick(Random random)
    {
        lock (_children)
            return _children.Count == 0 ? null : _children[random.Next(_children.Count)];
    }

    public StressChild? TakeForExit(Random random)
    {
        lock (_children)
        {
            if (_children.Count == 0)
                return null;
            var child = _children[random.Next(_children.Count)];
            _children.Remove(child);
            return child;
        }
    }

    public List<StressChild> TakeAll()
    {
        lock (_children)
        {
            var all = _children.ToList();
            _children.Clear();
            return all;
        }
    }
}
