using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>What one step does. Each maps to one scenario-language statement (see ScenarioWriter); new kinds go last,
/// so that the ranges below and the property tests' generated sequences stay as they are.</summary>
public enum OpKind
{
    /// <summary>fork(): the chosen process gets a child.</summary>
    Fork,

    /// <summary>exit(): the chosen process's mm is torn down.</summary>
    Exit,

    /// <summary>A CPU write of a fresh value over the whole slot (write faults).</summary>
    Fill,

    /// <summary>A CPU read of the slot's first page (read faults; observed by the oracles).</summary>
    Read,

    /// <summary>get_user_pages (FOLL_GET, slow walk) of the slot's first page.</summary>
    GetUserPages,

    /// <summary>get_user_pages_fast.</summary>
    GetUserPagesFast,

    /// <summary>get_user_pages_remote.</summary>
    GetUserPagesRemote,

    /// <summary>pin_user_pages (FOLL_PIN, slow walk).</summary>
    PinUserPages,

    /// <summary>pin_user_pages_fast.</summary>
    PinUserPagesFast,

    /// <summary>pin_user_pages_remote.</summary>
    PinUserPagesRemote,

    /// <summary>vmsplice() of the slot's first page into a new pipe (FOLL_GET references held by the pipe).</summary>
    Vmsplice,

    /// <summary>put_page / unpin_user_pages of a held handle (unregister, for an io_uring buffer).</summary>
    Release,

    /// <summary>A device read through a held handle (observed by the oracles).</summary>
    DeviceRead,

    /// <summary>A device write of a fresh value through a held write pin.</summary>
    DeviceWrite,

    /// <summary>read() of everything a pipe holds, which drops its references.</summary>
    PipeRead,

    /// <summary>munmap() of the slot.</summary>
    Munmap,

    /// <summary>mprotect(PROT_READ) of the slot.</summary>
    MprotectReadOnly,

    /// <summary>mprotect(PROT_READ|PROT_WRITE) of the slot.</summary>
    MprotectReadWrite,

    /// <summary>MADV_DONTNEED of the slot.</summary>
    DontNeed,

    /// <summary>MADV_PAGEOUT of the slot (reclaim; a later access swaps in).</summary>
    SwapOut,

    /// <summary>MADV_MERGEABLE of the slot.</summary>
    Mergeable,

    /// <summary>One KSM scan over every mergeable range.</summary>
    KsmMerge,

    /// <summary>echo 4 &gt; /proc/pid/clear_refs.</summary>
    ClearRefs,

    /// <summary>uffd-wp protect the slot (registering it first).</summary>
    UffdWpOn,

    /// <summary>uffd-wp resolve the slot.</summary>
    UffdWpOff,

    /// <summary>IORING_REGISTER_BUFFERS of the slot's first page (FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM).</summary>
    IoUringRegister,

    /// <summary>MADV_COLLAPSE of a THP slot.</summary>
    Collapse,

    /// <summary>PTE-map a PMD-mapped THP slot: mprotect its second subpage R/O and back (cow.c's PTE-mapped THP).</summary>
    Split,
}

/// <summary>
/// One step. <see cref="Process"/> and <see cref="Handle"/> are choices taken modulo what exists when the step runs
/// (live processes in creation order, held references in the order they were taken), so every sequence — also every
/// shrunk one — can run; a step whose target does not exist is skipped and never printed. The explorer only offers
/// choices below those counts, so its steps name a process or reference by its rank.
/// </summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Process">The live process (rank in creation order, modulo the live count).</param>
/// <param name="Slot">The slot.</param>
/// <param name="Flags">FOLL flags of a GUP step.</param>
/// <param name="Handle">The held reference (rank, modulo the count of references the step can use).</param>
public readonly record struct Op(OpKind Kind, int Process, int Slot, FollFlags Flags, int Handle)
{
    /// <summary>Whether the step takes a page reference (GUP, vmsplice, io_uring registration).</summary>
    public bool TakesReference => Kind is >= OpKind.GetUserPages and <= OpKind.Vmsplice or OpKind.IoUringRegister;

    /// <summary>Whether the step works on a held reference rather than on a process.</summary>
    public bool OnReference => Kind is OpKind.Release or OpKind.DeviceRead or OpKind.DeviceWrite or OpKind.PipeRead;

    /// <summary>Whether the step names a process only (no slot).</summary>
    public bool OnProcessOnly => Kind is OpKind.Fork or OpKind.Exit or OpKind.ClearRefs;

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        _ when TakesReference && Kind is not (OpKind.Vmsplice or OpKind.IoUringRegister) => $"{Kind}(p{Process}, s{Slot}, {Flags})",
        _ when OnReference => $"{Kind}(h{Handle})",
        OpKind.KsmMerge => "KsmMerge",
        _ when OnProcessOnly => $"{Kind}(p{Process})",
        _ => $"{Kind}(p{Process}, s{Slot})",
    };
}
