using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// <c>m = mmap p LEN [prot=rw|r|none] [shared] [file=F] [hugetlb=SIZE] [align=SIZE]</c>: a new mapping; anonymous
/// and private unless told otherwise. <see cref="Align"/> mimics cow.c's "map twice the size and align" trick.
/// </summary>
internal sealed record MmapStatement(
    Expr Process,
    Expr Length,
    Protection Protection,
    bool Shared,
    Expr? File,
    Expr? HugetlbSize,
    Expr? Align,
    SourceLocation Location) : Statement(Location);

/// <summary><c>f = memfd LEN [hugetlb=SIZE]</c> / <c>f = tmpfile LEN</c>: a file whose pages live in the page cache.</summary>
internal sealed record FileStatement(FileKind Kind, Expr Length, Expr? HugetlbSize, SourceLocation Location) : Statement(Location);

/// <summary><c>thp_enabled SIZE always|madvise|never</c>: the per-size THP policy (hugepages-NkB/enabled in sysfs).</summary>
internal sealed record ThpEnabledStatement(Expr Size, ThpSetting Setting, SourceLocation Location) : Statement(Location);

/// <summary><c>nr_hugepages SIZE COUNT</c>: reserve COUNT hugetlb pages of SIZE (2M or 1G), like /proc/sys/vm/nr_hugepages.</summary>
internal sealed record HugetlbPoolStatement(Expr Size, Expr Count, SourceLocation Location) : Statement(Location);

/// <summary><c>munmap p ADDR LEN</c>.</summary>
internal sealed record MunmapStatement(Expr Process, Expr Address, Expr Length, SourceLocation Location) : Statement(Location);

/// <summary><c>mprotect p ADDR LEN rw|r|none</c>.</summary>
internal sealed record MprotectStatement(Expr Process, Expr Address, Expr Length, Protection Protection, SourceLocation Location)
    : Statement(Location);

/// <summary><c>madvise p ADDR LEN ADVICE</c> (dontneed, dontfork, dofork, pageout, hugepage, nohugepage, collapse ...).</summary>
internal sealed record MadviseStatement(Expr Process, Expr Address, Expr Length, Advice Advice, SourceLocation Location)
    : Statement(Location);

/// <summary><c>[n =] mremap p ADDR OLDLEN NEWLEN [to=ADDR]</c>: MREMAP_MAYMOVE, plus MREMAP_FIXED when <c>to</c> is given.</summary>
internal sealed record MremapStatement(Expr Process, Expr Address, Expr OldLength, Expr NewLength, Expr? FixedAddress, SourceLocation Location)
    : Statement(Location);

/// <summary><c>fill p ADDR LEN BYTE</c> (memset) and <c>write p ADDR BYTE</c> (one byte): CPU stores, write faults.</summary>
internal sealed record FillStatement(Expr Process, Expr Address, Expr Length, Expr Value, SourceLocation Location) : Statement(Location);

/// <summary><c>[v =] read p ADDR LEN</c>: CPU loads (read faults); the value is the bytes read.</summary>
internal sealed record ReadStatement(Expr Process, Expr Address, Expr Length, SourceLocation Location) : QueryStatement(Location);

/// <summary><c>swap_out p ADDR LEN</c> (reclaim, like MADV_PAGEOUT) and <c>swap_in p ADDR LEN</c> (a read of every page).</summary>
internal sealed record SwapStatement(bool Out, Expr Process, Expr Address, Expr Length, SourceLocation Location) : Statement(Location);

/// <summary><c>ksm_merge</c>: one KSM scan; identical pages in MADV_MERGEABLE areas are merged into one KSM page.</summary>
internal sealed record KsmMergeStatement(SourceLocation Location) : Statement(Location);

/// <summary><c>clear_refs p</c>: <c>echo 4 &gt; /proc/pid/clear_refs</c>, clears soft-dirty and write-protects the PTEs.</summary>
internal sealed record ClearRefsStatement(Expr Process, SourceLocation Location) : Statement(Location);

/// <summary><c>uffd_wp p ADDR LEN on|off</c>: register the range with UFFDIO_REGISTER_MODE_WP and (un)protect it.</summary>
internal sealed record UffdWriteProtectStatement(Expr Process, Expr Address, Expr Length, bool Protect, SourceLocation Location)
    : Statement(Location);
