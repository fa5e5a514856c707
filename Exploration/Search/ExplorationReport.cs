namespace CowGuard.Exploration;

/// <summary>One level of the search: the states first found after <see cref="Depth"/> steps.</summary>
/// <param name="Depth">The number of steps.</param>
/// <param name="NewStates">States found at this depth and at no smaller one.</param>
/// <param name="Transitions">Steps taken from the states of the level above.</param>
/// <param name="Merged">Steps that led to a state already found (at this depth or above).</param>
/// <param name="Complete">False when the time limit cut the level short.</param>
/// <param name="Elapsed">Wall time since the exploration started, at the end of the level.</param>
public sealed record LevelStatistics(int Depth, long NewStates, long Transitions, long Merged, bool Complete, TimeSpan Elapsed);

/// <summary>A shortest sequence that violates an oracle: breadth-first order finds no shorter one.</summary>
/// <param name="Oracle">The violated oracle.</param>
/// <param name="Steps">The steps from the root state; the last one makes the violation visible.</param>
public sealed record Counterexample(Oracle Oracle, IReadOnlyList<Op> Steps)
{
    /// <summary>The number of steps.</summary>
    public int Length => Steps.Count;

    /// <inheritdoc />
    public override string ToString() => $"{Oracle}: {string.Join(" ; ", Steps)}";
}

/// <summary>What an exploration found and what it cost.</summary>
public sealed class ExplorationReport
{
    internal ExplorationReport(ExplorationOptions options) => Options = options;

    /// <summary>What was explored.</summary>
    public ExplorationOptions Options { get; }

    /// <summary>Per depth from 1, what the level added.</summary>
    public IReadOnlyList<LevelStatistics> Levels => LevelList;

    /// <summary>Distinct states found (the root included).</summary>
    public long StatesFound { get; internal set; }

    /// <summary>Steps taken.</summary>
    public long Transitions { get; internal set; }

    /// <summary>Steps that led to a state already found: what state hashing saved.</summary>
    public long StatesMerged { get; internal set; }

    /// <summary>Every sequence of up to this many steps was explored.</summary>
    public int DepthReached { get; internal set; }

    /// <summary>
    /// The last complete level found no new state: every state reachable at all, by sequences of any length, has been
    /// found, so the verdicts hold for every length.
    /// </summary>
    public bool Exhausted { get; internal set; }

    /// <summary>The time limit stopped the search before <see cref="ExplorationOptions.MaxDepth"/>.</summary>
    public bool TimedOut { get; internal set; }

    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>CPU time of the whole process during the exploration (all workers).</summary>
    public TimeSpan CpuTime { get; internal set; }

    /// <summary>Peak resident memory of the process (VmHWM), in bytes.</summary>
    public long PeakWorkingSetBytes { get; internal set; }

    /// <summary>Bytes the visited set's tables took at the end (16-byte hash and 8-byte path per state, plus buckets).</summary>
    public long VisitedSetBytes { get; internal set; }

    /// <summary>The shortest counterexample per violated oracle (a model bug is one too).</summary>
    public IReadOnlyDictionary<Oracle, Counterexample> Counterexamples => CounterexampleMap;

    /// <summary>Steps after which a hugetlb FOLL_GET reference saw another process's data in an era since PageAnonExclusive: cow.c's documented XFAIL, not counted as a violation.</summary>
    public long ExemptHugetlbGetLeaks { get; internal set; }

    /// <summary>With <see cref="ExplorationOptions.VerifyMerges"/>: merges checked.</summary>
    public long MergesVerified { get; internal set; }

    /// <summary>With <see cref="ExplorationOptions.VerifyMerges"/>: merges whose two states behaved differently (must be empty).</summary>
    public IReadOnlyList<string> MergeMismatches => MismatchList;

    internal List<LevelStatistics> LevelList { get; } = [];

    internal SortedDictionary<Oracle, Counterexample> CounterexampleMap { get; } = [];

    internal List<string> MismatchList { get; } = [];
}
