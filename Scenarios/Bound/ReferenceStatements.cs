using CowGuard.Scenarios.Diagnostics;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Bound;

/// <summary>
/// <c>h = pin_user_pages p ADDR NRPAGES [FLAGS] [partial]</c> and the other five entry points: takes page references
/// (or pins) with the given FOLL_* flags. <see cref="ByteLength"/> is NRPAGES times the page size, which the binder
/// takes from the model (<see cref="Binding.Binder.PageSize"/>) so no backend hard-codes it. Without
/// <see cref="Partial"/> the call takes every page or none (it fails with the stopping error after undoing a short
/// walk, as io_uring's io_pin_pages does); with it, the handle holds the pages taken before the first page that could
/// not be taken — __get_user_pages' <c>return i ? i : ret</c> — and <c>pages_taken h</c> says how many.
/// </summary>
internal sealed record BoundGup(
    GupEntryPoint EntryPoint,
    BoundExpression Process,
    BoundExpression Address,
    BoundExpression PageCount,
    BoundExpression ByteLength,
    FollFlags Flags,
    bool Partial,
    SourceLocation Location,
    string Verb) : BoundStatement(Location, Verb)
{
    /// <summary>FOLL_PIN (pin_user_pages*) rather than FOLL_GET (get_user_pages*).</summary>
    public bool IsPin => EntryPoint is GupEntryPoint.PinUserPages or GupEntryPoint.PinUserPagesFast or GupEntryPoint.PinUserPagesRemote;

    public bool IsRemote => EntryPoint is GupEntryPoint.GetUserPagesRemote or GupEntryPoint.PinUserPagesRemote;

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitGup(this);
}

/// <summary><c>put_pages h</c> (put_page per page) / <c>unpin_user_pages h [dirty]</c> (unpin_user_pages_dirty_lock).</summary>
internal sealed record BoundRelease(BoundExpression Handle, bool Unpin, bool MarkDirty, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitRelease(this);
}

/// <summary><c>device_write h BYTE</c>: a device writes through the handle (DMA into the referenced pages).</summary>
internal sealed record BoundDeviceWrite(BoundExpression Handle, BoundExpression Value, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitDeviceWrite(this);
}

/// <summary><c>pipe = vmsplice p ADDR LEN</c>: vmsplice() into a fresh pipe; the pipe holds FOLL_GET references.</summary>
internal sealed record BoundVmsplice(BoundExpression Process, BoundExpression Address, BoundExpression Length, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitVmsplice(this);
}

/// <summary><c>b = io_uring_register p ADDR LEN</c>: IORING_REGISTER_BUFFERS (FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM).</summary>
internal sealed record BoundIoUringRegister(BoundExpression Process, BoundExpression Address, BoundExpression Length, SourceLocation Location, string Verb)
    : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitIoUringRegister(this);
}

/// <summary><c>io_uring_write_fixed b FILE</c>: IORING_OP_WRITE_FIXED of the whole buffer to offset 0 of FILE.</summary>
internal sealed record BoundIoUringWriteFixed(BoundExpression Buffer, BoundExpression File, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitIoUringWriteFixed(this);
}

/// <summary><c>io_uring_unregister b</c>: IORING_UNREGISTER_BUFFERS, drops the pins.</summary>
internal sealed record BoundIoUringUnregister(BoundExpression Buffer, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitIoUringUnregister(this);
}
