namespace CowGuard.VmModel;

/// <summary>vma->vm_flags the model uses.</summary>
[Flags]
internal enum VmFlags
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,
    Shared = 1 << 3,
    MayRead = 1 << 4,
    MayWrite = 1 << 5,
    MayShare = 1 << 7,

    /// <summary>VM_DONTCOPY (MADV_DONTFORK).</summary>
    DontCopy = 1 << 10,

    /// <summary>VM_WIPEONFORK.</summary>
    WipeOnFork = 1 << 11,

    /// <summary>VM_HUGETLB.</summary>
    Hugetlb = 1 << 12,

    /// <summary>VM_HUGEPAGE (MADV_HUGEPAGE).</summary>
    HugePage = 1 << 13,

    /// <summary>VM_NOHUGEPAGE.</summary>
    NoHugePage = 1 << 14,

    /// <summary>VM_MERGEABLE (MADV_MERGEABLE).</summary>
    Mergeable = 1 << 15,

    /// <summary>VM_UFFD_WP: registered with userfaultfd in write-protect mode.</summary>
    UffdWp = 1 << 16,

    /// <summary>VM_SOFTDIRTY: the whole VMA counts as soft-dirty (set at creation, cleared by clear_refs 4).</summary>
    SoftDirty = 1 << 17,
}
