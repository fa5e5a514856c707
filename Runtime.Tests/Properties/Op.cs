using CowGuard.VmModel;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>What one generated step does. Each maps to one scenario-language statement (see ScenarioWriter).</summary>
internal enum OpKind
{
    Fork,
    Exit,
    Fill,
    Read,
    GetUserPages,
    GetUserPagesFast,
    GetUserPagesRemote,
    PinUserPages,
    PinUserPagesFast,
    PinUserPagesRemote,
    Vmsplice,
    Release,
    DeviceRead,
    DeviceWrite,
    PipeRead,
    Munmap,
    MprotectReadOnly,
    MprotectReadWrite,
    DontNeed,
    SwapOut,
    Mergeable,
    KsmMerge,
    ClearRefs,
    UffdWpOn,
    UffdWpOff,
}

/// <summary>
/// One generated step. <see cref="Process"/> and <see cref="Handle"/> are choices taken modulo what exists when the
/// step runs (live processes, held handles), so every sequence — also every shrunk one — can run; a step whose
/// target does not exist is skipped and never printed.
/// </summary>
internal readonly record struct Op(OpKind Kind, int Process, int Slot, FollFlags Flags, int Handle)
{
    public bool TakesReference => Kind is >= OpKind.GetUserPages and <= OpKind.Vmsplice;

    public override string ToString() => Kind switch
    {
        _ when TakesReference && Kind != OpKind.Vmsplice => $"{Kind}(p{Process}, s{Slot}, {Flags})",
        OpKind.Release or OpKind.DeviceRead or OpKind.DeviceWrite or OpKind.PipeRead => $"{Kind}(h{Handle})",
        OpKind.KsmMerge => "KsmMerge",
        OpKind.Fork or OpKind.Exit or OpKind.ClearRefs => $"{Kind}(p{Process})",
        _ => $"{Kind}(p{Process}, s{Slot})",
    };
}
