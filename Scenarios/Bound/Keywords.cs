namespace CowGuard.Scenarios.Bound;

/// <summary>mmap/mprotect protection: PROT_NONE, PROT_READ, PROT_READ|PROT_WRITE.</summary>
internal enum Protection
{
    None,
    Read,
    ReadWrite,
}

/// <summary>The madvise() advice values the cow.c reproducers and the bug catalogue use (MADV_*).</summary>
internal enum Advice
{
    DontNeed,
    DontFork,
    DoFork,
    WipeOnFork,
    KeepOnFork,
    PageOut,
    HugePage,
    NoHugePage,
    Collapse,
    Mergeable,
    Unmergeable,
}

/// <summary>The six get_user_pages entry points of mm/gup.c that the model offers.</summary>
internal enum GupEntryPoint
{
    GetUserPages,
    GetUserPagesFast,
    GetUserPagesRemote,
    PinUserPages,
    PinUserPagesFast,
    PinUserPagesRemote,
}

/// <summary>Facts an <c>expect</c> can read about the page mapped at an address.</summary>
internal enum PageFactKind
{
    RefCount,
    MapCount,
    PinCount,
    AnonExclusive,
    Writable,
    Present,
    Swapped,
    Pfn,
}

/// <summary>/sys/kernel/mm/transparent_hugepage/hugepages-NkB/enabled.</summary>
internal enum ThpSetting
{
    Never,
    Madvise,
    Always,
}

/// <summary>The file kinds cow.c's non-anonymous tests map: memfd_create() and tmpfile().</summary>
internal enum FileKind
{
    Memfd,
    Tmpfile,
}
