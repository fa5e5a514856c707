namespace CowGuard.VmModel;

/// <summary>The huge pages fork reserved for the early COW of pinned hugetlb pages, per order, until the copy uses them.</summary>
internal sealed class ForkReservations
{
    private readonly Dictionary<int, int> _remaining = [];

    public void Add(int order, int pages) => _remaining[order] = _remaining.GetValueOrDefault(order) + pages;

    /// <summary>Takes one reserved page of the order for the allocation about to happen, if one is left.</summary>
    public bool TryConsume(int order)
    {
        if (_remaining.GetValueOrDefault(order) == 0)
            return false;
        _remaining[order]--;
        return true;
    }

    /// <summary>Gives back what the copy did not use (a page that stopped being maybe-pinned meanwhile).</summary>
    public void ReleaseUnused(PhysicalMemory memory)
    {
        foreach (var (order, pages) in _remaining)
            memory.UnreserveHugetlb(order, pages);
        _remaining.Clear();
    }
}
