namespace CowGuard.VmModel;

/// <summary>What /proc/pid/pagemap and the kernel's struct page would tell about one user address (a snapshot).</summary>
/// <param name="Address">The page-aligned address.</param>
/// <param name="Present">A page is mapped.</param>
/// <param name="Swapped">A swap entry is installed.</param>
/// <param name="Writable">pte_write.</param>
/// <param name="Dirty">pte_dirty.</param>
/// <param name="SoftDirty">pte_soft_dirty (or the swap entry's).</param>
/// <param name="UffdWp">pte_uffd_wp.</param>
/// <param name="SwapExclusive">pte_swp_exclusive of a swap entry.</param>
/// <param name="PmdMapped">Part of a PMD mapping (THP or huge zero page).</param>
/// <param name="Hugetlb">Part of a hugetlb mapping.</param>
/// <param name="FolioOrder">Order of the mapped folio (0 when not present).</param>
/// <param name="Page">The mapped page's counts, when present.</param>
public sealed record PageInfo(
    ulong Address, bool Present, bool Swapped, bool Writable, bool Dirty, bool SoftDirty, bool UffdWp, bool SwapExclusive,
    bool PmdMapped, bool Hugetlb, int FolioOrder, PageState? Page)
{
    /// <summary>The mapped page is the shared zero page or the huge zero page.</summary>
    public bool ZeroPage => Page?.Kind is FolioKind.ZeroPage or FolioKind.HugeZeroPage;
}
