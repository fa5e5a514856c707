using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// One step as it actually ran, with every choice resolved to names (process, handle and pipe numbers in creation
/// order) and the byte value it wrote, so it can be printed as a scenario statement.
/// </summary>
internal sealed record ExecutedStep(Op Op, int Process, int Handle, byte Value)
{
    public OpKind Kind => Op.Kind;

    public int Slot => Op.Slot;

    public FollFlags Flags => Op.Flags;

    /// <summary>For a fork: the new process's number.</summary>
    public int Created { get; init; }

    /// <summary>The check this step failed, printed as an 'expect' after it.</summary>
    public FailedCheck? Check { get; init; }
}

/// <summary>How the violating step is expressed as a scenario check, after an optional statement that prepares it.</summary>
internal sealed record FailedCheck(Oracle Oracle, string Label, string Text)
{
    /// <summary>A statement the check needs first (an io_uring buffer is observed by writing it into a file).</summary>
    public string? Prelude { get; init; }

    /// <summary>
    /// The check judges another view than the step's own read (a pin, or the explorer's observation of every view),
    /// so it is printed after the step's statement instead of replacing it.
    /// </summary>
    public bool AfterStep { get; init; }
}
