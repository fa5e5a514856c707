namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>What this machine lacks for the guest kernel.</summary>
internal enum GuestMissing
{
    /// <summary>Not Linux on x86-64.</summary>
    UnsupportedHost,

    /// <summary>COWGUARD_GUEST=off in the environment.</summary>
    Disabled,

    /// <summary>Packages the guest needs are not installed (build.sh installs them, as root).</summary>
    Packages,

    /// <summary>The packages are there but the kernel for this source version and config is not in the cache.</summary>
    KernelNotBuilt,

    /// <summary>No qemu-system-x86_64 on PATH.</summary>
    Qemu,

    /// <summary>No statically linked busybox for /init.</summary>
    Busybox,

    /// <summary>No gcc, or no static C library, to build the guest's programs.</summary>
    Compiler,
}

/// <summary>The guest cannot run here: what is missing and why, in words a skipped test or a CLI can print.</summary>
/// <param name="What">The missing piece.</param>
/// <param name="Reason">The cause, with the command that fixes it where there is one.</param>
internal sealed record GuestUnavailable(GuestMissing What, string Reason);

/// <summary>The result of <see cref="GuestKernel.Locate"/>: a kernel, or why there is none.</summary>
internal sealed class GuestLookup
{
    private GuestLookup(GuestKernel? kernel, GuestUnavailable? unavailable)
    {
        Kernel = kernel;
        Unavailable = unavailable;
    }

    /// <summary>The kernel, when available.</summary>
    public GuestKernel? Kernel { get; }

    /// <summary>Why the guest cannot run, when it cannot.</summary>
    public GuestUnavailable? Unavailable { get; }

    public static GuestLookup Found(GuestKernel kernel) => new(kernel, null);

    public static GuestLookup Missing(GuestMissing what, string reason) => new(null, new GuestUnavailable(what, reason));
}
