using CowGuard.Scenarios.LiveKernel;

namespace CowGuard.Scenarios.Tests.LiveKernel.Translation;

/// <summary>Kernel descriptions for translation tests, fixed so the C a scenario becomes does not depend on this machine.</summary>
internal static class TargetKernels
{
    /// <summary>A 6.18 kernel with everything the backend can use (gup_test and soft-dirty included, as in the guest), /proc/PID/mem forcing.</summary>
    public static KernelFacts Full { get; } = new(
        IsLinux: true,
        KernelRelease: "6.18.0-test",
        Compiler: "/usr/bin/gcc",
        IsRoot: true,
        ThpMode: "madvise",
        ThpSizes: new Dictionary<ulong, string>(),
        FreeHugetlbPages: new Dictionary<ulong, long>(),
        SwapActive: true,
        IoUringDisabled: 0,
        HasIpcLockCapability: true,
        MemlockLimit: ulong.MaxValue,
        SoftDirty: true,
        HasGupTest: true,
        HasUserfaultfd: true,
        UnprivilegedUserfaultfd: true,
        HasKsm: true,
        HasSysAdminCapability: true,
        HasSysPtraceCapability: true,
        ProcMemForce: "always",
        PtraceScope: null);
}
