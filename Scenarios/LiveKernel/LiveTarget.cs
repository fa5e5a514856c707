using CowGuard.Scenarios.LiveKernel.Guest;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>Which real kernel <c>--kernel</c> compares with.</summary>
internal enum LiveTarget
{
    /// <summary>The kernel this machine runs.</summary>
    Host,

    /// <summary>The guest kernel (Guest/kernel/build.sh): CONFIG_GUP_TEST and soft-dirty, booted under QEMU.</summary>
    Guest,
}

/// <summary>The backend for each <see cref="LiveTarget"/>, detected on this machine.</summary>
internal static class LiveBackends
{
    public static ILiveBackend For(LiveTarget target) => target switch
    {
        LiveTarget.Host => LiveKernelBackend.ForThisMachine(),
        LiveTarget.Guest => GuestKernelBackend.Locate(),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown live target"),
    };
}
