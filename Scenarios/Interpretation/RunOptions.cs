namespace CowGuard.Scenarios.Interpretation;

/// <summary>
/// How runs are made: the model's self-checks (the invariant checker after every model operation, slow on 1 GiB pages,
/// and the lock-order checker on every lock the model takes), and machine snapshots at <c>snapshot</c> statements and
/// at the end, for pictures.
/// </summary>
internal sealed record RunOptions(bool CheckInvariants = false, bool TakeSnapshots = false)
{
    public static RunOptions Default { get; } = new();
}
