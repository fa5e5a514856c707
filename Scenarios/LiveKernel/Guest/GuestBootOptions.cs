namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>How to boot the guest for one batch.</summary>
internal sealed record GuestBootOptions
{
    /// <summary>Guest memory (2 GiB runs the whole cow.c; 1 GiB hugetlb pages need 8 GiB).</summary>
    public int MemoryMiB { get; init; } = 2048;

    /// <summary>2 MiB hugetlb pages /init reserves (/proc/sys/vm/nr_hugepages).</summary>
    public int HugePages2M { get; init; } = 32;

    /// <summary>Virtual CPUs (TCG: each is a host thread; the host has two).</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>Wall-clock limit for the whole boot; QEMU is killed when it passes. Default: 60 s for booting and
    /// shutting down plus every program's own timeout.</summary>
    public TimeSpan? BatchTimeout { get; init; }
}
