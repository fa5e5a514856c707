using CowGuard.Scenarios.Bound;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// A get_user_pages_remote / pin_user_pages_remote handle, run as the one system call that takes such a reference,
/// copies through it and drops it (cg_remote.h): process_vm_readv (pin_user_pages_remote, no FOLL flags),
/// process_vm_writev (FOLL_WRITE), or pread/pwrite of /proc/PID/mem (get_user_pages_remote with FOLL_FORCE when
/// proc_mem_force_override is "always", [| FOLL_WRITE]). The calls hold the reference only while they copy, so the
/// scenario must use the handle for exactly one device_read (or device_write) right after taking it, then release it
/// (<see cref="RemoteCopyPlan"/>).
/// </summary>
internal sealed record RemoteCopy(string Handle, BoundGup Gup, bool Write, string Via)
{
    public static RemoteCopy Plan(BoundGup gup, KernelFacts facts)
    {
        var handle = gup.Target?.Name ?? "(unnamed)";
        if (gup.EntryPoint == GupEntryPoint.PinUserPagesRemote)
        {
            return gup.Flags switch
            {
                FollFlags.None => new RemoteCopy(handle, gup, Write: false, "CG_VIA_PROCESS_VM"),
                FollFlags.Write => new RemoteCopy(handle, gup, Write: true, "CG_VIA_PROCESS_VM"),
                _ => throw new UntranslatableException(gup.Location, $"pin_user_pages_remote with FOLL flags {gup.Flags}: process_vm_readv pins with none and process_vm_writev with FOLL_WRITE, no other system call pins remotely"),
            };
        }

        if (facts.ProcMemForce is not { } mode)
        {
            throw new UntranslatableException(gup.Location, "cannot tell whether /proc/PID/mem adds FOLL_FORCE (no kernel configuration found and no proc_mem.force_override on the command line)");
        }

        var force = mode == "always" ? FollFlags.Force : FollFlags.None;
        if (gup.Flags == force || gup.Flags == (force | FollFlags.Write))
        {
            return new RemoteCopy(handle, gup, Write: gup.Flags.HasFlag(FollFlags.Write), "CG_VIA_PROC_MEM");
        }

        throw new UntranslatableException(gup.Location, $"get_user_pages_remote with FOLL flags {gup.Flags}: /proc/PID/mem reads with {force} and writes with {force | FollFlags.Write} here (proc_mem_force_override={mode}), no other system call does");
    }

    public UntranslatableException HeldAcross(BoundStatement statement) => new(
        statement.Location,
        $"the remote reference '{Handle}' (line {Gup.Location.Line}) would be held across '{statement.Verb}': process_vm_readv/writev and /proc/PID/mem hold a remote reference only while copying, so it must be used by one {(Write ? "device_write" : "device_read")} right away and then released");
}
