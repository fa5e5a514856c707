using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary><c>[v =] read p ADDR LEN</c>: CPU loads (read faults); the value is the bytes read.</summary>
internal sealed record BoundRead(BoundExpression Process, BoundExpression Address, BoundExpression Length, SourceLocation Location, string Verb)
    : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Bytes;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitRead(this);
}

/// <summary><c>[v =] pipe_read pipe</c>: read() everything the pipe holds.</summary>
internal sealed record BoundPipeRead(BoundExpression Pipe, SourceLocation Location, string Verb) : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Bytes;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitPipeRead(this);
}

/// <summary><c>[v =] device_read h</c>: what a device doing DMA through the handle sees.</summary>
internal sealed record BoundDeviceRead(BoundExpression Handle, SourceLocation Location, string Verb) : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Bytes;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitDeviceRead(this);
}

/// <summary><c>[v =] pages_taken h</c>: how many pages a GUP's handle holds — its NR_PAGES, or fewer after a <c>partial</c> GUP stopped early.</summary>
internal sealed record BoundPagesTaken(BoundExpression Handle, SourceLocation Location, string Verb) : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Number;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitPagesTaken(this);
}

/// <summary><c>[v =] file_read FILE LEN</c>: pread() from offset 0.</summary>
internal sealed record BoundFileRead(BoundExpression File, BoundExpression Length, SourceLocation Location, string Verb) : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Bytes;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitFileRead(this);
}

/// <summary><c>[v =] refcount p ADDR</c>, mapcount, pincount, exclusive, writable, present, swapped, pfn: a fact about one page.</summary>
internal sealed record BoundPageFact(PageFactKind Fact, BoundExpression Process, BoundExpression Address, SourceLocation Location, string Verb)
    : BoundQuery(Location, Verb)
{
    /// <summary>present and swapped are numbers a live kernel shows (pagemap); a pfn compares only with a pfn; the rest the kernel keeps.</summary>
    public override ScenarioType ResultType => Fact switch
    {
        PageFactKind.Present or PageFactKind.Swapped => ScenarioType.Number,
        PageFactKind.Pfn => ScenarioType.PageFrameNumber,
        _ => ScenarioType.PageFact,
    };

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitPageFact(this);
}

/// <summary>
/// <c>r = try OPERATION ...</c>: runs the operation and yields "ok", or the fault it raised ("SIGSEGV", "SIGBUS",
/// "userfault", "ENOMEM", "EINVAL", "ESRCH") instead of stopping the scenario. The operation's own value is dropped.
/// </summary>
internal sealed record BoundTry(BoundStatement Operation, SourceLocation Location, string Verb) : BoundQuery(Location, Verb)
{
    public override ScenarioType ResultType => ScenarioType.Text;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitTry(this);
}
