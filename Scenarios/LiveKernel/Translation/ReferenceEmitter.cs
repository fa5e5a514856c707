using System.Globalization;
using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// Page references: the agent whose memory is referenced takes them (vmsplice, IORING_REGISTER_BUFFERS) and hands
/// the pipe or ring to the driver, which then reads, writes and releases through it; a remote reference is one
/// system call in the accessor agent (<see cref="RemoteCopy"/>), taken and dropped by the device access that uses it.
/// A gup_test pin is started by the agent too (pin_user_pages acts on current->mm) and read and stopped by the driver.
/// </summary>
internal static class ReferenceEmitter
{
    public static Emission Gup(CTranslator t, BoundGup node)
    {
        var kind = t.Handles.TakenBy(node);
        var into = t.Slots.ResultOf(node); // under 'try' the handle has no name (and is never released)
        var range = $"{t.Number(node.Address)}, {t.Number(node.ByteLength)}";
        return kind switch
        {
            HandleKind.IoUringPin => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_uring_register({into}, {range});").Needing(KernelFeature.IoUring),
            HandleKind.VmsplicePipe => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_vmsplice({into}, {range}, {(node.Partial ? 1 : 0)});"),
            HandleKind.GupTestPin => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_gup_test_pin_ro({into}, {range}, {(node.EntryPoint == GupEntryPoint.PinUserPagesFast ? 1 : 0)});"),

            // Nothing happens yet: the system call takes the reference when the device access copies.
            HandleKind.RemoteCopy => Emission.Empty.Needing(KernelFeature.RemoteAccess),
            _ => throw new ArgumentOutOfRangeException(nameof(node), kind, "unknown handle kind"),
        };
    }

    public static Emission Release(CTranslator t, BoundRelease node)
    {
        var handle = t.Use(node.Handle);
        return t.Handles.Of(node.Handle) switch
        {
            HandleKind.IoUringPin => Emission.Driver($"cg_uring_unregister({handle});"),
            HandleKind.VmsplicePipe => Emission.Driver($"cg_pipe_close({handle});"),
            HandleKind.GupTestPin => Emission.Driver($"cg_gup_test_unpin_var({handle});"),
            _ => Emission.Empty, // process_vm_*/proc/PID/mem dropped the reference when the copy ended
        };
    }

    /// <summary>pages_taken: the bytes the handle's pipe, ring or gup_test pin holds, in pages (page size from the bound GUP's byte length).</summary>
    public static Emission PagesTaken(CTranslator t, BoundPagesTaken node)
    {
        var handle = t.Use(node.Handle);
        var into = t.Slots.ResultOf(node);
        return t.Handles.Of(node.Handle) == HandleKind.RemoteCopy
            ? throw new UntranslatableException(node.Location, "a remote reference is taken only while its copy runs, so it has no page count to ask for")
            : Emission.Driver($"cg->v[{into}] = cg_number(cg->v[{handle}].len / {Binding.Binder.PageSize}ULL);");
    }

    public static Emission Vmsplice(CTranslator t, BoundVmsplice node)
    {
        var pipe = t.Slots.ResultOf(node); // under 'try' the pipe has no name (and is never closed)
        return Emission.Agent(t.AgentOf(node.Process), $"cg->v[{pipe}] = cg_vmsplice({pipe}, {t.Number(node.Address)}, {t.Number(node.Length)}, 0);");
    }

    public static Emission IoUringRegister(CTranslator t, BoundIoUringRegister node)
    {
        var buffer = t.Slots.ResultOf(node); // under 'try' the ring has no name (and is never unregistered)
        return Emission.Agent(t.AgentOf(node.Process), $"cg->v[{buffer}] = cg_uring_register({buffer}, {t.Number(node.Address)}, {t.Number(node.Length)});")
            .Needing(KernelFeature.IoUring);
    }

    public static Emission DeviceRead(CTranslator t, BoundDeviceRead node)
    {
        var handle = t.Use(node.Handle);
        var into = t.Slots.ResultOf(node);
        switch (t.Handles.Of(node.Handle))
        {
            case HandleKind.IoUringPin:
                return Emission.Driver($"cg->v[{into}] = cg_uring_device_read({handle});");
            case HandleKind.VmsplicePipe:
                return Emission.Driver($"cg->v[{into}] = cg_pipe_bytes({handle}, 0);");
            case HandleKind.GupTestPin:
                return Emission.Driver($"cg->v[{into}] = cg_gup_test_device_read({handle});");
            default:
                var copy = t.Remote.UseAt(node);
                return Accessor(t, node, $"cg->v[{into}] = cg_remote_read({t.Use(copy.Gup.Process)}, {t.Number(copy.Gup.Address)}, {t.Number(copy.Gup.ByteLength)}, {copy.Via});");
        }
    }

    public static Emission DeviceWrite(CTranslator t, BoundDeviceWrite node)
    {
        var handle = t.Use(node.Handle);
        switch (t.Handles.Of(node.Handle))
        {
            case HandleKind.IoUringPin:
                return Emission.Driver($"cg_uring_device_write({handle}, {t.Number(node.Value)});");
            case HandleKind.VmsplicePipe:
                throw new UntranslatableException(node.Location, "a device cannot write through a R/O FOLL_GET reference held by a vmsplice() pipe");
            case HandleKind.GupTestPin:
                throw new UntranslatableException(node.Location, "a device cannot write through a R/O pin held by gup_test (PIN_LONGTERM_TEST has no write)");
            default:
                var copy = t.Remote.UseAt(node);
                return Accessor(t, node, $"cg_remote_write({t.Use(copy.Gup.Process)}, {t.Number(copy.Gup.Address)}, {t.Number(copy.Gup.ByteLength)}, {t.Number(node.Value)}, {copy.Via});");
        }
    }

    /// <summary>A step in the accessor agent, which is forked from the driver (so it maps no scenario memory) where it is first used.</summary>
    private static Emission Accessor(CTranslator t, BoundStatement access, string code)
    {
        var agent = t.Agents.Accessor!.Value.ToString(CultureInfo.InvariantCulture);
        var step = Emission.Agent(agent, code);
        return ReferenceEquals(t.Remote.FirstUse, access)
            ? Emission.Driver($"cg_new_process({t.Slots.Accessor}, {agent});").Then(step)
            : step;
    }
}
