namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// How much searching a property does. CI: fixed seeds, a few seconds per property. COWGUARD_LONG_RUNS=1: many
/// more sequences, longer ones, and a CsCheck random-seed search on top.
/// </summary>
internal sealed record PropertyBudget(int MaxIterations, int MinIterations, TimeSpan Time, int MaxLength, bool Long)
{
    public const ulong BaseSeed = 20_201_129;

    public static PropertyBudget Current { get; } = Environment.GetEnvironmentVariable("COWGUARD_LONG_RUNS") == "1"
        ? new PropertyBudget(MaxIterations: 200_000, MinIterations: 2_000, Time: TimeSpan.FromMinutes(5), MaxLength: 60, Long: true)
        : new PropertyBudget(MaxIterations: 2_000, MinIterations: 60, Time: TimeSpan.FromSeconds(4), MaxLength: 40, Long: false);

    /// <summary>The counterexample searches stop after this many sequences; the documented violations are found far earlier.</summary>
    public const int SearchIterations = 3_000;

    public const int SearchLength = 24;
}
