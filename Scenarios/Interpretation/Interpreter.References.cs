using CowGuard.Scenarios.Ast;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

internal sealed partial class Interpreter
{
    /// <summary>The scenario chooses the flags, and observing what a reference without Write/BreakCow sees is the point.</summary>
    [WrongSideCowOk("Scenario files choose the FOLL flags; replaying wrong-side COW references is what the runner is for.")]
    private Value Gup(GupStatement gup)
    {
        var process = scope.Process(gup.Process);
        var start = scope.Number(gup.Address);
        var pages = scope.PageCount(gup.PageCount);
        PageReferenceHandle handle = gup.EntryPoint switch
        {
            GupEntryPoint.GetUserPages => VmModel.Gup.GetUserPages(process, start, pages, gup.Flags),
            GupEntryPoint.GetUserPagesFast => VmModel.Gup.GetUserPagesFast(process, start, pages, gup.Flags),
            GupEntryPoint.GetUserPagesRemote => VmModel.Gup.GetUserPagesRemote(process, start, pages, gup.Flags),
            GupEntryPoint.PinUserPages => VmModel.Gup.PinUserPages(process, start, pages, gup.Flags),
            GupEntryPoint.PinUserPagesFast => VmModel.Gup.PinUserPagesFast(process, start, pages, gup.Flags),
            _ => VmModel.Gup.PinUserPagesRemote(process, start, pages, gup.Flags),
        };
        return new HandleValue(handle);
    }

    private void Release(ReleaseStatement release)
    {
        var handle = scope.Handle(release.Handle);
        if (release.Unpin)
        {
            VmModel.Gup.UnpinUserPages(handle, release.MarkDirty);
        }
        else
        {
            VmModel.Gup.PutPages(handle);
        }
    }

    /// <summary>
    /// vmsplice() into a fresh pipe sized to hold the whole range (as fcntl(F_SETPIPE_SZ) would): a deliberate
    /// simplification, since cow.c compares only the bytes a default 16-buffer pipe accepted.
    /// </summary>
    [WrongSideCowOk("vmsplice takes FOLL_GET references that never break COW; the scenarios replay exactly that.")]
    private Value Vmsplice(VmspliceStatement vmsplice)
    {
        var process = scope.Process(vmsplice.Process);
        var (address, length) = (scope.Number(vmsplice.Address), scope.Number(vmsplice.Length));
        var pages = (address + length + PageGeometry.PageSize - 1) / PageGeometry.PageSize - address / PageGeometry.PageSize;
        var pipe = machine.CreatePipe((int)Math.Clamp(pages, 1, int.MaxValue));
        process.Vmsplice(pipe, address, length);
        return new PipeValue(pipe);
    }

    private static ByteRuns ReadPipe(Pipe pipe)
    {
        var runs = new ByteRuns();
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        for (var read = pipe.Read(chunk); read > 0; read = pipe.Read(chunk))
        {
            runs.Append(chunk[..read]);
        }

        return runs;
    }

    private static ByteRuns DeviceRead(PageReferenceHandle handle)
    {
        var runs = new ByteRuns();
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        for (var offset = 0L; offset < handle.Length; offset += PageGeometry.PageSize)
        {
            handle.Read(offset, chunk);
            runs.Append(chunk);
        }

        return runs;
    }

    private void DeviceWrite(DeviceWriteStatement write)
    {
        var handle = scope.Handle(write.Handle);
        Span<byte> chunk = stackalloc byte[PageGeometry.PageSize];
        chunk.Fill(scope.Byte(write.Value));
        for (var offset = 0L; offset < handle.Length; offset += PageGeometry.PageSize)
        {
            handle.Write(offset, chunk);
        }
    }

    private void IoUringWriteFixed(IoUringWriteFixedStatement write)
    {
        var buffer = scope.Buffer(write.Buffer);
        buffer.WriteFixed(scope.File(write.File).File, 0, 0, checked((int)buffer.Length));
    }

    private ByteRuns FileRead(FileReadStatement read)
    {
        var file = scope.File(read.File).File;
        var length = (long)scope.Number(read.Length);
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

        return runs;
    }
}
