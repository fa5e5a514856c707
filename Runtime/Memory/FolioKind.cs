namespace CowGuard.VmModel;

/// <summary>What a folio holds: the distinctions vm_normal_page / folio_test_anon make.</summary>
public enum FolioKind
{
    /// <summary>An anonymous folio (folio_test_anon), possibly KSM.</summary>
    Anon,

    /// <summary>A page-cache folio of a file (memfd, tmpfile, hugetlbfs file).</summary>
    File,

    /// <summary>The shared zero page (a special PTE; vm_normal_page returns NULL).</summary>
    ZeroPage,

    /// <summary>The huge zero page (mapped read-only by a PMD).</summary>
    HugeZeroPage,
}
