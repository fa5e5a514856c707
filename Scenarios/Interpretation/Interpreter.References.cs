using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Page references: mm/gup.c's entry points, vmsplice, io_uring fixed buffers and what a device does through them.</summary>
internal sealed partial class Interpreter
{
    /// <summary>The scenario chooses the flags, and observing what a reference without Write/BreakCow sees is the point.</summary>
    [WrongSideCowOk("Scenario files choose the FOLL flags; replaying wrong-side COW references is what the runner is for.")]
    public Value? VisitGup(BoundGup node)
    {
        var process = Process(node.Process);
        var start = Number(node.Address);
        var pages = PageCount(node.PageCount);
        PageReferenceHandle handle = (node.EntryPoint, node.Partial) switch
        {
            (GupEntryPoint.GetUserPages, true) => Gup.GetUserPagesPartial(process, start, pages, node.Flags),
            (GupEntryPoint.GetUserPagesFast, true) => Gup.GetUserPagesFastPartial(process, start, pages, node.Flags),
            (GupEntryPoint.GetUserPagesRemote, true) => Gup.GetUserPagesRemotePartial(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPages, true) => Gup.PinUserPagesPartial(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPagesFast, true) => Gup.PinUserPagesFastPartial(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPagesRemote, true) => Gup.PinUserPagesRemotePartial(process, start, pages, node.Flags),
            (GupEntryPoint.GetUserPages, _) => Gup.GetUserPages(process, start, pages, node.Flags),
            (GupEntryPoint.GetUserPagesFast, _) => Gup.GetUserPagesFast(process, start, pages, node.Flags),
            (GupEntryPoint.GetUserPagesRemote, _) => Gup.GetUserPagesRemote(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPages, _) => Gup.PinUserPages(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPagesFast, _) => Gup.PinUserPagesFast(process, start, pages, node.Flags),
            (GupEntryPoint.PinUserPagesRemote, _) => Gup.PinUserPagesRemote(process, start, pages, node.Flags),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.EntryPoint, "unknown GUP entry point"),
        };
        return new HandleValue(handle);
    }

    public Value? VisitPagesTaken(BoundPagesTaken node) => new NumberValue((ulong)Handle(node.Handle).PageCount);

    public Value? VisitRelease(BoundRelease node) => Done(() =>
    {
        var handle = Handle(node.Handle);
        if (node.Unpin)
        {
            Gup.UnpinUserPages(handle, node.MarkDirty);
        }
        else
        {
            Gup.PutPages(handle);
        }
    });

    /// <summary>
    /// vmsplice() into a fresh pipe sized to hold the whole range (as fcntl(F_SETPIPE_SZ) would): a deliberate
    /// simplification, since cow.c compares only the bytes a default 16-buffer pipe accepted.
    /// </summary>
    [WrongSideCowOk("vmsplice takes FOLL_GET references that never break COW; the scenarios replay exactly that.")]
    public Value? VisitVmsplice(BoundVmsplice node)
    {
        var process = Process(node.Process);
        var (address, length) = (Number(node.Address), Number(node.Length));
        var pages = (address + length + PageGeometry.PageSize - 1) / PageGeometry.PageSize - address / PageGeometry.PageSize;
        var pipe = _machine.CreatePipe((int)Math.Clamp(pages, 1, int.MaxValue));
        process.Vmsplice(pipe, address, length);
        return new PipeValue(pipe);
    }

    public Value? VisitPipeRead(BoundPipeRead node)
    {
        var pipe = Scope.As<PipeValue>(Evaluate(node.Pipe)).Pipe;
        var runs = new ByteRuns();
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        for (var read = pipe.Read(chunk); read > 0; read = pipe.Read(chunk))
        {
            runs.Append(chunk[..read]);
        }

        return new BytesValue(runs);
    }

    public Value? VisitDeviceRead(BoundDeviceRead node)
    {
        var handle = Handle(node.Handle);
        var runs = new ByteRuns();
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        for (var offset = 0L; offset < handle.Length; offset += PageGeometry.PageSize)
        {
            handle.Read(offset, chunk);
            runs.Append(chunk);
        }

        return new BytesValue(runs);
    }

    public Value? VisitDeviceWrite(BoundDeviceWrite node) => Done(() =>
    {
        var handle = Handle(node.Handle);
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        chunk.Fill(Byte(node.Value));
        for (var offset = 0L; offset < handle.Length; offset += PageGeometry.PageSize)
        {
            handle.Write(offset, chunk);
        }
    });

    public Value? VisitIoUringRegister(BoundIoUringRegister node) =>
        new BufferValue(Process(node.Process).IoUringRegisterBuffer(Number(node.Address), Number(node.Length)));

    public Value? VisitIoUringWriteFixed(BoundIoUringWriteFixed node) => Done(() =>
    {
        var buffer = Buffer(node.Buffer);
        buffer.WriteFixed(Scope.As<FileValue>(Evaluate(node.File)).File, 0, 0, checked((int)buffer.Length));
    });

    public Value? VisitIoUringUnregister(BoundIoUringUnregister node) => Done(() => Buffer(node.Buffer).Unregister());

    public Value? VisitFileRead(BoundFileRead node)
    {
        var file = Scope.As<FileValue>(Evaluate(node.File)).File;
        var length = (long)Number(node.Length);
        var runs = new ByteRuns();
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        for (var offset = 0L; offset < length;)
        {
            var got = file.Pread(offset, chunk[..(int)Math.Min(PageGeometry.PageSize, length - offset)]);
            if (got == 0)
            {
                break;
            }

            runs.Append(chunk[..got]);
            offset += got;
        }

        return new BytesValue(runs);
    }

    /// <summary>A GUP page count computed while running (a constant one was checked at load time).</summary>
    private int PageCount(BoundExpression expression)
    {
        var count = Number(expression);
        return count is > 0 and <= int.MaxValue
            ? (int)count
            : throw new ScenarioRuntimeException(expression.Location, $"expected a page count from 1 to {int.MaxValue}, found {count}");
    }

    /// <summary>A GUP handle, or the pins behind a registered buffer (both can be read and written by a device).</summary>
    private PageReferenceHandle Handle(BoundExpression expression) => Evaluate(expression) switch
    {
        HandleValue handle => handle.Handle,
        BufferValue buffer => buffer.Buffer.Pins,
        var other => throw new InvalidOperationException($"the binder let {other.GetType().Name} through where a page handle was expected"),
    };

    private IoUringFixedBuffer Buffer(BoundExpression expression) => Scope.As<BufferValue>(Evaluate(expression)).Buffer;
}
