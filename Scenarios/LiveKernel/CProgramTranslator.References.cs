using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Page references: the agent whose memory is referenced takes them (vmsplice, IORING_REGISTER_BUFFERS) and hands
/// the pipe or ring to the driver, which then reads, writes and releases through it; remote references are one
/// system call in the accessor agent (<see cref="RemoteCopy"/>).
/// </summary>
internal sealed partial class CProgramTranslator
{
    /// <summary>The remote reference taken by the previous statement, if any: only its one use and its release may follow.</summary>
    private RemoteCopy? remoteCopy;

    /// <summary>The agent slot of the process that makes remote copies (no scenario memory of its own), once needed.</summary>
    private int? accessorSlot;

    private void ReferenceStatement(Statement statement)
    {
        switch (statement)
        {
            case GupStatement gup:
                Gup(gup);
                break;
            case ReleaseStatement release:
                var handle = Use(release.Handle);
                switch (HandleOf(release.Handle))
                {
                    case HandleKind.IoUringPin:
                        Driver($"cg_uring_unregister({handle});");
                        break;
                    case HandleKind.VmsplicePipe:
                        Driver($"cg_pipe_close({handle});");
                        break;
                    default:
                        remoteCopy = null; // process_vm_*/proc/PID/mem dropped the reference when the copy ended
                        break;
                }

                break;
            case DeviceWriteStatement write:
                DeviceWrite(write);
                break;
            case VmspliceStatement vmsplice:
                var pipe = Define(statement);
                handles[statement.Target!] = HandleKind.VmsplicePipe;
                Agent(vmsplice.Process, $"cg->v[{pipe}] = cg_vmsplice({pipe}, {Number(vmsplice.Address)}, {Number(vmsplice.Length)});");
                break;
            case IoUringRegisterStatement register:
                needs.Add(KernelFeature.IoUring);
                var buffer = Define(statement);
                handles[statement.Target!] = HandleKind.IoUringPin;
                Agent(register.Process, $"cg->v[{buffer}] = cg_uring_register({buffer}, {Number(register.Address)}, {Number(register.Length)});");
                break;
            case IoUringWriteFixedStatement writeFixed:
                Driver($"cg_uring_write_fixed({Use(writeFixed.Buffer)}, {Use(writeFixed.File)});");
                break;
            case IoUringUnregisterStatement unregister:
                Driver($"cg_uring_unregister({Use(unregister.Buffer)});");
                break;
            default:
                throw new UntranslatableException(statement.Location, $"'{statement.Verb}' has no live-kernel translation");
        }
    }

    private void Gup(GupStatement gup)
    {
        var kind = GupSubstitute.Choose(gup, facts.HasGupTest);
        var target = gup.Target is null ? Temporary() : Define(gup); // under 'try' the handle has no name (and is never released)
        if (gup.Target is not null)
        {
            handles[gup.Target] = kind;
        }

        var length = $"({Number(gup.PageCount)}) * 4096ULL";
        switch (kind)
        {
            case HandleKind.IoUringPin:
                needs.Add(KernelFeature.IoUring);
                Agent(gup.Process, $"cg->v[{target}] = cg_uring_register({target}, {Number(gup.Address)}, {length});");
                break;
            case HandleKind.VmsplicePipe:
                Agent(gup.Process, $"cg->v[{target}] = cg_vmsplice({target}, {Number(gup.Address)}, {length});");
                break;
            default:
                // Nothing happens yet: the system call takes the reference when the device access copies.
                needs.Add(KernelFeature.RemoteAccess);
                remoteCopy = RemoteCopy.Plan(gup, gup.Target ?? "(unnamed)", facts);
                break;
        }
    }

    private void DeviceRead(DeviceReadStatement read, int into)
    {
        var handle = Use(read.Handle);
        switch (HandleOf(read.Handle))
        {
            case HandleKind.IoUringPin:
                Driver($"cg->v[{into}] = cg_uring_device_read({handle});");
                break;
            case HandleKind.VmsplicePipe:
                Driver($"cg->v[{into}] = cg_pipe_bytes({handle}, 0);");
                break;
            default:
                var copy = UseRemoteCopy(read, write: false);
                Accessor($"cg->v[{into}] = cg_remote_read({Use(copy.Gup.Process)}, {Number(copy.Gup.Address)}, ({Number(copy.Gup.PageCount)}) * 4096ULL, {copy.Via});");
                break;
        }
    }

    private void DeviceWrite(DeviceWriteStatement write)
    {
        var handle = Use(write.Handle);
        switch (HandleOf(write.Handle))
        {
            case HandleKind.IoUringPin:
                Driver($"cg_uring_device_write({handle}, {Number(write.Value)});");
                break;
            case HandleKind.VmsplicePipe:
                throw new UntranslatableException(write.Location, "a device cannot write through a R/O FOLL_GET reference held by a vmsplice() pipe");
            default:
                var copy = UseRemoteCopy(write, write: true);
                Accessor($"cg_remote_write({Use(copy.Gup.Process)}, {Number(copy.Gup.Address)}, ({Number(copy.Gup.PageCount)}) * 4096ULL, {Number(write.Value)}, {copy.Via});");
                break;
        }
    }

    private RemoteCopy UseRemoteCopy(Statement use, bool write)
    {
        var copy = remoteCopy is { Used: false } pending ? pending : throw new UntranslatableException(use.Location, "a remote reference is used only once, right after it was taken");
        if (copy.Write != write)
        {
            throw new UntranslatableException(use.Location, $"'{use.Verb}' through '{copy.Handle}', taken with {copy.Gup.Flags}: the system call for those flags only {(copy.Write ? "writes" : "reads")}");
        }

        copy.Used = true;
        return copy;
    }

    /// <summary>
    /// While a remote reference is pending, the next statement must be its one use (a device access, or a check
    /// that reads through it and compares with a value) and the one after that its release.
    /// </summary>
    private void AdmitWhileRemoteCopyPending(Statement statement)
    {
        if (remoteCopy is not { } copy)
        {
            return;
        }

        var admitted = copy.Used
            ? statement is ReleaseStatement { Handle: VariableExpr released } && released.Name == copy.Handle
            : statement switch
            {
                DeviceWriteStatement { Handle: VariableExpr written } => written.Name == copy.Handle,
                DeviceReadStatement { Handle: VariableExpr read } => read.Name == copy.Handle,
                ExpectStatement expect => ReadsOnlyThrough(expect.Left, expect.Right, copy.Handle) || ReadsOnlyThrough(expect.Right, expect.Left, copy.Handle),
                _ => false,
            };
        if (!admitted)
        {
            throw copy.HeldAcross(statement);
        }
    }

    private static bool ReadsOnlyThrough(Operand device, Operand other, string handle) =>
        device is QueryOperand { Query: DeviceReadStatement { Handle: VariableExpr read } } && read.Name == handle && other is ValueOperand;

    /// <summary>A step in the accessor agent, created (forked from the driver, so it maps no scenario memory) on first use.</summary>
    private void Accessor(string code)
    {
        if (accessorSlot is not { } slot)
        {
            slot = agentCount++;
            accessorSlot = slot;
            Driver($"cg_new_process({Temporary()}, {slot});");
        }

        Step(slot.ToString(System.Globalization.CultureInfo.InvariantCulture), code);
    }

    private HandleKind HandleOf(Expr handle)
    {
        var name = (handle as VariableExpr)?.Name;
        return name is not null && handles.TryGetValue(name, out var kind)
            ? kind
            : throw new UntranslatableException(handle.Location, "expected a variable holding a page handle, a pipe or a registered buffer");
    }
}
