using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// <c>h = pin_user_pages p ADDR NRPAGES [FLAGS]</c> and the other five entry points: takes page references (or pins)
/// with the given FOLL_* flags; FLAGS is <c>none</c> or a '|'-list of write, force, longterm, anon, nofault, dump, break_cow.
/// </summary>
internal sealed record GupStatement(GupEntryPoint EntryPoint, Expr Process, Expr Address, Expr PageCount, FollFlags Flags, SourceLocation Location)
    : Statement(Location);

/// <summary><c>put_pages h</c> (put_page per page) / <c>unpin_user_pages h [dirty]</c> (unpin_user_pages_dirty_lock).</summary>
internal sealed record ReleaseStatement(Expr Handle, bool Unpin, bool MarkDirty, SourceLocation Location) : Statement(Location);

/// <summary><c>[v =] device_read h</c>: what a device doing DMA through the handle sees.</summary>
internal sealed record DeviceReadStatement(Expr Handle, SourceLocation Location) : QueryStatement(Location);

/// <summary><c>device_write h BYTE</c>: a device writes through the handle (DMA into the referenced pages).</summary>
internal sealed record DeviceWriteStatement(Expr Handle, Expr Value, SourceLocation Location) : Statement(Location);

/// <summary><c>pipe = vmsplice p ADDR LEN</c>: vmsplice() into a fresh pipe; the pipe holds FOLL_GET references.</summary>
internal sealed record VmspliceStatement(Expr Process, Expr Address, Expr Length, SourceLocation Location) : Statement(Location);

/// <summary><c>[v =] pipe_read pipe</c>: read() everything the pipe holds.</summary>
internal sealed record PipeReadStatement(Expr Pipe, SourceLocation Location) : QueryStatement(Location);

/// <summary><c>b = io_uring_register p ADDR LEN</c>: IORING_REGISTER_BUFFERS (FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM).</summary>
internal sealed record IoUringRegisterStatement(Expr Process, Expr Address, Expr Length, SourceLocation Location) : Statement(Location);

/// <summary><c>io_uring_write_fixed b FILE</c>: IORING_OP_WRITE_FIXED of the whole buffer to offset 0 of FILE.</summary>
internal sealed record IoUringWriteFixedStatement(Expr Buffer, Expr File, SourceLocation Location) : Statement(Location);

/// <summary><c>io_uring_unregister b</c>: IORING_UNREGISTER_BUFFERS, drops the pins.</summary>
internal sealed record IoUringUnregisterStatement(Expr Buffer, SourceLocation Location) : Statement(Location);

/// <summary><c>[v =] file_read FILE LEN</c>: pread() from offset 0.</summary>
internal sealed record FileReadStatement(Expr File, Expr Length, SourceLocation Location) : QueryStatement(Location);
