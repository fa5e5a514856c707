namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>How a guest program ended.</summary>
internal enum GuestOutcome
{
    /// <summary>It exited; see <see cref="GuestProgramResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>A signal killed it; see <see cref="GuestProgramResult.Signal"/>.</summary>
    Signalled,

    /// <summary>It ran past its own timeout and was killed with SIGKILL.</summary>
    TimedOut,

    /// <summary>It was running when the guest stopped (batch timeout, kernel panic).</summary>
    Interrupted,

    /// <summary>The guest never got to it.</summary>
    NotRun,
}

/// <summary>What one program did in the guest.</summary>
/// <param name="Name">The program's name in the batch.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">Its exit status, when it exited.</param>
/// <param name="Signal">The signal that killed it, when one did.</param>
/// <param name="Stdout">Its standard output (UTF-8).</param>
/// <param name="Stderr">Its standard error (UTF-8).</param>
/// <param name="Seconds">Its run time by the guest's clock, when it finished.</param>
internal sealed record GuestProgramResult(
    string Name, GuestOutcome Outcome, int? ExitCode, int? Signal, string Stdout, string Stderr, double? Seconds);

/// <summary>One boot of the guest with its batch of programs.</summary>
/// <param name="Programs">One result per program, in batch order.</param>
/// <param name="Wall">Host wall-clock time from starting QEMU to its exit.</param>
/// <param name="ReadySeconds">Guest uptime when /init was ready to run the first program (boot time), if it got there.</param>
/// <param name="DoneSeconds">Guest uptime after the last program, if it got there.</param>
/// <param name="HugePages2M">2 MiB hugetlb pages the guest could reserve.</param>
/// <param name="SwapKiB">Swap the guest set up on its RAM disk.</param>
/// <param name="TimedOut">True when the batch timeout killed QEMU.</param>
/// <param name="Console">The kernel console (first serial port): boot messages, oopses, panics.</param>
internal sealed record GuestBatchResult(
    IReadOnlyList<GuestProgramResult> Programs, TimeSpan Wall, double? ReadySeconds, double? DoneSeconds, int? HugePages2M,
    long? SwapKiB, bool TimedOut, string Console)
{
    /// <summary>True when every program ran to its end (exit, signal or its own timeout).</summary>
    public bool Completed => DoneSeconds is not null;

    /// <summary>The result of the program named <paramref name="name"/>.</summary>
    public GuestProgramResult this[string name] => Programs.Single(p => p.Name == name);
}
