namespace CowGuard.VmModel;

/// <summary>The madvise(2) advices the model implements.</summary>
public enum Advice
{
    /// <summary>MADV_DONTNEED: zap the range; anonymous memory reads back as zero (or the file page for private file mappings).</summary>
    DontNeed,

    /// <summary>MADV_DONTFORK: the range is not copied into children (VM_DONTCOPY).</summary>
    DontFork,

    /// <summary>MADV_DOFORK: undo DONTFORK.</summary>
    DoFork,

    /// <summary>MADV_WIPEONFORK: children get the range empty (VM_WIPEONFORK); private anonymous only.</summary>
    WipeOnFork,

    /// <summary>MADV_KEEPONFORK: undo WIPEONFORK.</summary>
    KeepOnFork,

    /// <summary>MADV_PAGEOUT: reclaim the range now (swap out anonymous pages mapped only by this process).</summary>
    PageOut,

    /// <summary>MADV_MERGEABLE: let KSM merge identical anonymous pages of the range (see <see cref="Machine.KsmScan"/>).</summary>
    Mergeable,

    /// <summary>MADV_UNMERGEABLE: stop KSM merging (already merged pages stay until written).</summary>
    Unmergeable,

    /// <summary>MADV_HUGEPAGE: allow THP in the range (VM_HUGEPAGE) when the size is in madvise mode.</summary>
    HugePage,

    /// <summary>MADV_NOHUGEPAGE: never use THP in the range (VM_NOHUGEPAGE).</summary>
    NoHugePage,

    /// <summary>MADV_COLLAPSE: synchronously collapse each PMD-sized, PMD-aligned part of the range into a PMD-mapped THP.</summary>
    Collapse,
}
