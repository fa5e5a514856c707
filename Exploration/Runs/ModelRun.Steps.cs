using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>Each operation kind against the model, and the shadow update it implies. Null: the step had no target.</summary>
internal sealed partial class ModelRun
{
    private ExecutedStep? Execute(Op op)
    {
        if (op.Kind == OpKind.KsmMerge)
        {
            _machine.KsmScan();
            return new ExecutedStep(op, 0, 0, 0);
        }

        if (op.Kind is OpKind.Release or OpKind.DeviceRead or OpKind.DeviceWrite or OpKind.PipeRead)
        {
            return OnReference(op);
        }

        var live = Enumerable.Range(0, _processes.Count).Where(p => _shadows[p].Alive).ToList();
        if (live.Count == 0)
        {
            return null;
        }

        var pid = live[op.Process % live.Count];
        var (process, shadow) = (_processes[pid], _shadows[pid]);
        var slot = op.Slot;
        var (address, length) = (_slotAddress[slot], Universe.Length(_universe.Slots[slot]));
        var step = new ExecutedStep(op, pid, 0, 0);
        if (op.Kind is not (OpKind.Fork or OpKind.Exit or OpKind.ClearRefs) && shadow.Expected[slot] is null)
        {
            return null;
        }

        switch (op.Kind)
        {
            case OpKind.Fork:
                _processes.Add(process.Fork($"p{_processes.Count}"));
                _shadows.Add(shadow.Inherit());
                return step with { Created = _processes.Count - 1 };
            case OpKind.Exit:
                process.Exit();
                shadow.Exited();
                return step;
            case OpKind.Fill:
                var value = NextValue();
                process.Fill(address, length, value);
                shadow.Wrote(slot, value);
                return step with { Value = value };
            case OpKind.Read:
                return ProcessRead(step, process, shadow, address);
            case OpKind.Vmsplice:
                return Vmsplice(step, process, shadow, address);
            case >= OpKind.GetUserPages and <= OpKind.PinUserPagesRemote:
                return TakeReference(step, process, shadow, address);
            case OpKind.IoUringRegister:
                return RegisterBuffer(step, process, shadow, address);
            case OpKind.Munmap:
                process.Munmap(address, length);
                shadow.Unmapped(slot);
                return step;
            case OpKind.MprotectReadOnly:
                process.Mprotect(address, length, Prot.Read);
                return step;
            case OpKind.MprotectReadWrite:
                process.Mprotect(address, length, Prot.Read | Prot.Write);
                return step;
            case OpKind.DontNeed:
                process.Madvise(address, length, Advice.DontNeed);
                shadow.Zapped(slot);
                return step;
            case OpKind.SwapOut:
                process.Madvise(address, length, Advice.PageOut);
                return step;
            case OpKind.Mergeable:
                process.Madvise(address, length, Advice.Mergeable);
                return step;
            case OpKind.ClearRefs:
                process.ClearSoftDirty();
                return step;
            case OpKind.Collapse:
                process.Madvise(address, length, Advice.Collapse);
                return step;
            case OpKind.Split:
                // cow.c's PTE-mapped THP: a R/O subpage splits the PMD mapping, and the VMA is merged back after.
                process.Mprotect(address + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read);
                process.Mprotect(address + PageGeometry.PageSize, PageGeometry.PageSize, Prot.Read | Prot.Write);
                return step;
            case OpKind.UffdWpOn:
                // As the scenario interpreter does: register the range first unless its page is already protected.
                if (!process.Inspect(address).UffdWp)
                {
                    process.UffdRegister(address, length);
                }

                process.UffdWriteProtect(address, length, protect: true);
                return step;
            case OpKind.UffdWpOff:
                process.UffdWriteProtect(address, length, protect: false);
                return step;
            default:
                throw new InvalidOperationException($"{op.Kind} does not work on a process");
        }
    }

    private ExecutedStep ProcessRead(ExecutedStep step, VmProcess process, ProcessShadow shadow, ulong address)
    {
        if (JudgeProcessView(step.Process, step.Slot, process.ReadBytes(address, PageGeometry.PageSize)) is not { } judged)
        {
            return step;
        }

        _pending = (judged.Oracle, judged.Detail);
        return step with { Check = judged.Check };
    }

    [WrongSideCowOk("vmsplice never breaks COW: the property test takes such references on purpose to search for wrong-side COW")]
    private ExecutedStep Vmsplice(ExecutedStep step, VmProcess process, ProcessShadow shadow, ulong address)
    {
        var pipe = _machine.CreatePipe();
        process.Vmsplice(pipe, address, PageGeometry.PageSize);
        var id = _nextReferenceId++;
        _held.Add(new HeldReference { Id = id, TakenBy = step.Kind, Owner = step.Process, Slot = step.Slot, Generation = shadow.Generation[step.Slot], Pipe = pipe });
        return step with { Handle = id };
    }

    [WrongSideCowOk("the property test takes references with generated flags on purpose, to search for wrong-side COW")]
    private ExecutedStep TakeReference(ExecutedStep step, VmProcess process, ProcessShadow shadow, ulong address)
    {
        var flags = step.Flags;
        PageReferenceHandle handle = step.Kind switch
        {
            OpKind.GetUserPages => Gup.GetUserPages(process, address, 1, flags),
            OpKind.GetUserPagesFast => Gup.GetUserPagesFast(process, address, 1, flags),
            OpKind.GetUserPagesRemote => Gup.GetUserPagesRemote(process, address, 1, flags),
            OpKind.PinUserPages => Gup.PinUserPages(process, address, 1, flags),
            OpKind.PinUserPagesFast => Gup.PinUserPagesFast(process, address, 1, flags),
            _ => Gup.PinUserPagesRemote(process, address, 1, flags),
        };
        var readOnlyPromise = (flags & FollFlags.Write) == 0
            && ((flags & FollFlags.Longterm) != 0 || !process.Inspect(address).ZeroPage);
        var id = _nextReferenceId++;
        _held.Add(new HeldReference
        {
            Id = id, TakenBy = step.Kind, Owner = step.Process, Slot = step.Slot, Generation = shadow.Generation[step.Slot],
            Handle = handle, Flags = flags, ReadOnlyCoherencePromised = readOnlyPromise,
        });
        return step with { Handle = id };
    }

    /// <summary>io_uring_register_buffers: a FOLL_WRITE | FOLL_LONGTERM pin of the slot's first page, held as a fixed buffer.</summary>
    private ExecutedStep RegisterBuffer(ExecutedStep step, VmProcess process, ProcessShadow shadow, ulong address)
    {
        var buffer = process.IoUringRegisterBuffer(address, PageGeometry.PageSize);
        var id = _nextReferenceId++;
        _held.Add(new HeldReference
        {
            Id = id, TakenBy = step.Kind, Owner = step.Process, Slot = step.Slot, Generation = shadow.Generation[step.Slot],
            Handle = buffer.Pins, Buffer = buffer, Flags = FollFlags.Write | FollFlags.Longterm,
        });
        return step with { Handle = id };
    }

    /// <summary>The held references a step on a reference can use, in the order they were taken. The scenario
    /// language reaches an io_uring buffer's pages only through the file it writes them to, so device reads and
    /// writes use GUP handles only.</summary>
    private List<HeldReference> Candidates(OpKind kind) => _held.Where(h => kind switch
    {
        OpKind.PipeRead => h.Pipe is not null,
        OpKind.DeviceWrite => h.IsWritePin && !h.Handle!.IsReleased && h.Buffer is null,
        OpKind.DeviceRead => h.Handle is { IsReleased: false } && h.Buffer is null,
        _ => h.Handle is { IsReleased: false },
    }).ToList();

    private ExecutedStep? OnReference(Op op)
    {
        var candidates = Candidates(op.Kind);
        if (candidates.Count == 0)
        {
            return null;
        }

        var held = candidates[op.Handle % candidates.Count];
        var step = new ExecutedStep(op, held.Owner, held.Id, 0);
        switch (op.Kind)
        {
            case OpKind.Release when held.Buffer is { } buffer:
                buffer.Unregister();
                _held.Remove(held);
                return step;
            case OpKind.Release when held.IsPin:
                Gup.UnpinUserPages(held.Handle!);
                _held.Remove(held);
                return step;
            case OpKind.Release:
                Gup.PutPages(held.Handle!);
                _held.Remove(held);
                return step;
            case OpKind.DeviceWrite:
                var value = NextValue();
                held.Handle!.Write(0, Enumerable.Repeat(value, PageGeometry.PageSize).ToArray());
                var owner = _shadows[held.Owner];
                owner.Known[held.Slot].Add(value);
                if (owner.Alive && owner.Generation[held.Slot] == held.Generation)
                {
                    owner.Expected[held.Slot] = value;
                }

                return step with { Value = value };
            case OpKind.PipeRead:
                _held.Remove(held);
                return CheckIsolation(step, held, held.Pipe!.ReadAll());
            default:
                return CheckIsolation(step, held, held.Handle!.ReadBytes(0, PageGeometry.PageSize));
        }
    }

    private ExecutedStep CheckIsolation(ExecutedStep step, HeldReference held, byte[] bytes)
    {
        if (JudgeReference(held, bytes) is not { } judged)
        {
            return step;
        }

        _pending = (judged.Oracle, judged.Detail);
        return step with { Check = judged.Check };
    }
}
