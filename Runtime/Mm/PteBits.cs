namespace CowGuard.VmModel;

/// <summary>The page-table entry bits the model keeps (x86 names; swap entries reuse the software bits).</summary>
[Flags]
internal enum PteBits : ushort
{
    None = 0,

    /// <summary>pte_present: maps a page (otherwise, with a swap slot, a swap entry; else pte_none).</summary>
    Present = 1 << 0,

    /// <summary>pte_write.</summary>
    Write = 1 << 1,

    /// <summary>pte_dirty.</summary>
    Dirty = 1 << 2,

    /// <summary>pte_young.</summary>
    Young = 1 << 3,

    /// <summary>pte_soft_dirty / pte_swp_soft_dirty.</summary>
    SoftDirty = 1 << 4,

    /// <summary>pte_uffd_wp / pte_swp_uffd_wp.</summary>
    UffdWp = 1 << 5,

    /// <summary>pte_swp_exclusive: the swapped-out page was AnonExclusive (5.19+, 1493a1913e34).</summary>
    SwpExclusive = 1 << 6,

    /// <summary>Part of one huge mapping (a PMD-mapped THP, the huge zero page, or a hugetlb page): all entries of the
    /// huge range carry the same bits and the mapping counts once (entire mapcount, one reference).</summary>
    Huge = 1 << 7,

    /// <summary>pte_special: the zero page (vm_normal_page returns NULL).</summary>
    Special = 1 << 8,
}
