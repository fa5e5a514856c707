using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary>
/// <c>m = mmap p LEN [prot=rw|r|none] [shared] [file=F] [hugetlb=SIZE] [align=SIZE]</c>: a new mapping; anonymous
/// and private unless told otherwise. <see cref="Align"/> mimics cow.c's "map twice the size and align" trick.
/// </summary>
internal sealed record BoundMmap(
    BoundExpression Process,
    BoundExpression Length,
    Protection Protection,
    bool Shared,
    BoundExpression? File,
    BoundExpression? HugetlbSize,
    BoundExpression? Align,
    SourceLocation Location,
    string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitMmap(this);
}

/// <summary><c>f = memfd LEN [hugetlb=SIZE]</c> / <c>f = tmpfile LEN</c>: a file whose pages live in the page cache.</summary>
internal sealed record BoundCreateFile(FileKind Kind, BoundExpression Length, BoundExpression? HugetlbSize, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitCreateFile(this);
}

/// <summary><c>munmap p ADDR LEN</c>.</summary>
internal sealed record BoundMunmap(BoundExpression Process, BoundExpression Address, BoundExpression Length, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitMunmap(this);
}

/// <summary><c>mprotect p ADDR LEN rw|r|none</c>.</summary>
internal sealed record BoundMprotect(BoundExpression Process, BoundExpression Address, BoundExpression Length, Protection Protection, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitMprotect(this);
}

/// <summary><c>madvise p ADDR LEN ADVICE</c> (dontneed, dontfork, dofork, pageout, hugepage, nohugepage, collapse ...).</summary>
internal sealed record BoundMadvise(BoundExpression Process, BoundExpression Address, BoundExpression Length, Advice Advice, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitMadvise(this);
}

/// <summary><c>[n =] mremap p ADDR OLDLEN NEWLEN [to=ADDR]</c>: MREMAP_MAYMOVE, plus MREMAP_FIXED when <c>to</c> is given.</summary>
internal sealed record BoundMremap(
    BoundExpression Process,
    BoundExpression Address,
    BoundExpression OldLength,
    BoundExpression NewLength,
    BoundExpression? FixedAddress,
    SourceLocation Location,
    string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitMremap(this);
}

/// <summary><c>fill p ADDR LEN BYTE</c> (memset) and <c>write p ADDR BYTE</c> (one byte): CPU stores, write faults.</summary>
internal sealed record BoundFill(BoundExpression Process, BoundExpression Address, BoundExpression Length, BoundExpression Value, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitFill(this);
}

/// <summary><c>swap_out p ADDR LEN</c> (reclaim, like MADV_PAGEOUT) and <c>swap_in p ADDR LEN</c> (a read of every page).</summary>
internal sealed record BoundSwap(bool Out, BoundExpression Process, BoundExpression Address, BoundExpression Length, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitSwap(this);
}

/// <summary><c>clear_refs p</c>: <c>echo 4 &gt; /proc/pid/clear_refs</c>, clears soft-dirty and write-protects the PTEs.</summary>
internal sealed record BoundClearRefs(BoundExpression Process, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitClearRefs(this);
}

/// <summary><c>uffd_wp p ADDR LEN on|off</c>: register the range with UFFDIO_REGISTER_MODE_WP and (un)protect it.</summary>
internal sealed record BoundUffdWriteProtect(BoundExpression Process, BoundExpression Address, BoundExpression Length, bool Protect, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitUffdWriteProtect(this);
}
