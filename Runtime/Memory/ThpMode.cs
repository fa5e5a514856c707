namespace CowGuard.VmModel;

/// <summary>The per-size THP policy (/sys/kernel/mm/transparent_hugepage/hugepages-*/enabled).</summary>
public enum ThpMode
{
    /// <summary>Never allocate folios of this size on anonymous faults.</summary>
    Never,

    /// <summary>Allocate folios of this size only in VMAs with MADV_HUGEPAGE.</summary>
    Madvise,

    /// <summary>Allocate folios of this size in every VMA without MADV_NOHUGEPAGE.</summary>
    Always,
}
