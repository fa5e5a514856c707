namespace CowGuard.VmModel;

/// <summary>What happened, in the kernel's terms. One event per page and step.</summary>
public enum VmEventKind
{
    /// <summary>do_anonymous_page allocated a fresh anonymous folio (any order).</summary>
    AnonymousFault,

    /// <summary>A read fault mapped the shared zero page (or the huge zero page by PMD).</summary>
    ZeroPageMapped,

    /// <summary>A fault mapped a page-cache page (do_read_fault / do_shared_fault).</summary>
    FileFault,

    /// <summary>do_wp_page / hugetlb_wp / do_huge_pmd_wp_page reused the page in place (wp_page_reuse).</summary>
    Reuse,

    /// <summary>wp_page_copy (or a private file write, do_cow_fault) gave the faulting PTE a new copy.</summary>
    Copy,

    /// <summary>FAULT_FLAG_UNSHARE: the page was made exclusive for a R/O pin (copied, or only marked exclusive).</summary>
    Unshare,

    /// <summary>5.8's forced COW break: a read GUP on a COW mapping was turned into a write fault.</summary>
    ForcedCowBreak,

    /// <summary>A FOLL_GET reference was taken (GUP, follow_page, vmsplice).</summary>
    Get,

    /// <summary>A FOLL_GET reference was dropped (put_page).</summary>
    Put,

    /// <summary>A FOLL_PIN was taken.</summary>
    Pin,

    /// <summary>A FOLL_PIN was dropped (unpin_user_page), possibly dirtying the page.</summary>
    Unpin,

    /// <summary>GUP-fast could not handle a page and fell back to the slow path.</summary>
    GupFastFallback,

    /// <summary>fork shared a page with the child (write-protecting the parent's PTE in a COW mapping).</summary>
    ForkShare,

    /// <summary>fork gave the child its own copy of a maybe-pinned page (early COW, copy_present_page).</summary>
    ForkCopy,

    /// <summary>A page was unmapped and its folio added to the swapcache (swap-out).</summary>
    SwapOut,

    /// <summary>do_swap_page mapped a page back in.</summary>
    SwapIn,

    /// <summary>A swapcache folio without other users was written back and freed (contents kept in the swap slot).</summary>
    SwapReclaim,

    /// <summary>KSM merged a page into a KSM page.</summary>
    KsmMerge,

    /// <summary>A PMD (or a huge mapping) was split into PTEs.</summary>
    PmdSplit,

    /// <summary>MADV_COLLAPSE built a PMD-mapped THP from PTE-mapped pages.</summary>
    Collapse,

    /// <summary>A PTE was zapped (munmap, MADV_DONTNEED, exit).</summary>
    Zap,

    /// <summary>A folio's last reference was dropped and it was freed.</summary>
    Free,

    /// <summary>A PTE was write-protected (mprotect, clear_refs, uffd-wp, fork).</summary>
    WriteProtect,

    /// <summary>A page was moved to another address (mremap).</summary>
    Move,

    /// <summary>A device read through a page reference (DMA from memory).</summary>
    DeviceRead,

    /// <summary>A device wrote through a page reference (DMA to memory).</summary>
    DeviceWrite,

    /// <summary>The private-hugetlb reservation owner took a page back from a child (unmap_ref_private).</summary>
    HugetlbSteal,

    /// <summary>A process was created, forked or exited.</summary>
    Process,
}
