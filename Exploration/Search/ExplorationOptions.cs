using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>How the explorer gets the state a step starts from (docs/reliability.md has the measured comparison).</summary>
public enum Materialisation
{
    /// <summary>Copy the parent state (kept for the states being expanded along the current path) and take one step.</summary>
    Clone,

    /// <summary>Build a fresh machine and replay the whole sequence from the root for every step.</summary>
    Replay,
}

/// <summary>What to explore: an era, a universe, an alphabet and a depth, and how.</summary>
public sealed record ExplorationOptions
{
    /// <summary>The deepest bound the values written stay unique for (a run writes at most one value per step, from 2 to 255).</summary>
    public const int DepthLimit = 200;

    /// <summary>The COW era.</summary>
    public required Era Era { get; init; }

    /// <summary>The processes, pages and references (default: 3 processes, 2 base pages, 2 references).</summary>
    public Universe Universe { get; init; } = Universe.BasePages(processes: 3, pages: 2, references: 2);

    /// <summary>The steps (default: <see cref="Alphabet.Default"/>).</summary>
    public Alphabet Alphabet { get; init; } = Alphabet.Default;

    /// <summary>Explore every sequence of up to this many steps.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Stop after this long (the last level is then incomplete, and the report says so).</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Threads expanding a level (default: one per processor).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>How a state is rebuilt for each step.</summary>
    public Materialisation Materialisation { get; init; } = Materialisation.Clone;

    /// <summary>
    /// Check every merge: whenever a step reaches a state already found, take every enabled step from both the new
    /// state and the one found first, and compare what comes out (hashes, verdicts). Slow; for small bounds and tests.
    /// </summary>
    public bool VerifyMerges { get; init; }

    /// <summary>Describes the options, for reports.</summary>
    public override string ToString() =>
        $"era {Era.Name}, {Universe}, alphabet {Alphabet.Name} ({Alphabet.Letters.Count} letters), depth {MaxDepth}, {Workers} workers, {Materialisation.ToString().ToLowerInvariant()}";

    /// <summary>Refuses bounds the explorer's compact encodings cannot hold.</summary>
    /// <exception cref="ArgumentException">A bound out of range.</exception>
    public void Validate()
    {
        Check(MaxDepth is >= 0 and <= DepthLimit, $"the depth must be between 0 and {DepthLimit} (the values a run writes must stay unique), not {MaxDepth}");
        Check(Workers >= 1, $"at least one worker, not {Workers}");
        Check(Universe.Slots.Count is >= 1 and <= StepCode.MaxSlots, $"between 1 and {StepCode.MaxSlots} slots, not {Universe.Slots.Count}");
        Check(Universe.MaxProcesses is >= 1 and <= StepCode.MaxProcesses, $"between 1 and {StepCode.MaxProcesses} processes, not {Universe.MaxProcesses}");
        Check(Universe.MaxReferences is >= 0 and <= StepCode.MaxHandles, $"between 0 and {StepCode.MaxHandles} references, not {Universe.MaxReferences}");
        Check(Alphabet.Letters.Count <= StepCode.MaxLetters, $"at most {StepCode.MaxLetters} letters, not {Alphabet.Letters.Count}");
        Check(TimeLimit is null || TimeLimit > TimeSpan.Zero, "a positive time limit");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
