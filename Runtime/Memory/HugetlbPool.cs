namespace CowGuard.VmModel;

/// <summary>
/// One hugetlb pool (/proc/sys/vm/nr_hugepages for one size): a fixed number of huge pages, of which some are
/// reserved by private mappings at mmap time (resv_huge_pages) so that their owner's first faults cannot fail.
/// </summary>
public sealed class HugetlbPool
{
    internal HugetlbPool(int order, int total)
    {
        Order = order;
        Total = total;
        Free = total;
    }

    /// <summary>The huge page order (9 = 2 MiB, 18 = 1 GiB).</summary>
    public int Order { get; }

    /// <summary>nr_hugepages.</summary>
    public int Total { get; }

    /// <summary>free_huge_pages: pages not backing any folio.</summary>
    public int Free { get; internal set; }

    /// <summary>resv_huge_pages: free pages promised to mappings that have not faulted them in yet.</summary>
    public int Reserved { get; internal set; }

    /// <summary>Free pages nobody has reserved.</summary>
    public int Available => Free - Reserved;
}
