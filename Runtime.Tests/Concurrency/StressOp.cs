namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>What a stress thread does in one step (weights in <see cref="StressWorker"/>).</summary>
internal enum StressOp
{
    Write,
    ReadOwn,
    ReadPage,
    PinWrite,
    PinFastRange,
    PinRead,
    UseHeldPin,
    ReleaseHeldPin,
    GetPut,
    Vmsplice,
    PageOut,
    Fork,
    ChildVerify,
    ChildGup,
    ChildFork,
    ChildExit,
    RemoteRead,
    ScratchWrite,
    ScratchRead,
    ScratchDontNeed,
    ScratchRemap,
    ScratchProtect,
    ScratchGup,
    KsmScan,
}
