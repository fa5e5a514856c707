using CowGuard.Exploration;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli.Explore;

/// <summary>
/// A counterexample the explorer found, as a scenario file: the steps replayed under the era that found them, printed
/// with the setup of the slots they use and the violated check as the final <c>expect</c>. The verdict line is what
/// the scenario runner itself observes under every era, so the file is true to the runner whatever the explorer says
/// (the explorer's own replay and the runner agree on the finding era: the tests check it).
/// </summary>
internal static class CounterexampleScenario
{
    /// <summary>The scenario's display name (unique per era and oracle, as the catalogue requires).</summary>
    public static string Name(Era era, Oracle oracle) => $"explored: shortest {oracle} counterexample under {era.Name}";

    /// <summary>The file name the counterexample is kept under, e.g. <c>mapcount-writepincoherence.cow</c>.</summary>
    public static string FileName(Era era, Oracle oracle) => $"{era.Name.ToLowerInvariant()}-{oracle.ToString().ToLowerInvariant()}.cow";

    /// <param name="options">The exploration that found it (printed in the header, with the command that reproduces it).</param>
    /// <param name="counterexample">The shortest sequence.</param>
    /// <exception cref="InvalidOperationException">The sequence does not violate the oracle when replayed (an explorer bug).</exception>
    public static string Write(ExplorationOptions options, Counterexample counterexample)
    {
        var oracle = counterexample.Oracle;
        var replay = ModelRun.Run(options.Era, options.Universe, counterexample.Steps, new HashSet<Oracle> { oracle }, exploring: true);
        if (replay.Violation?.Oracle != oracle || replay.Violation.Step != replay.Executed.Count - 1 || replay.Executed.Count != counterexample.Length)
        {
            throw new InvalidOperationException($"replaying the {oracle} counterexample under {options.Era.Name} does not violate it at its last step: {replay.Violation}");
        }

        var name = Name(options.Era, oracle);
        string[] comments =
        [
            $"Shortest {oracle} counterexample under {options.Era.Name} ({options.Era.KernelVersions}), found by breadth-first exploration",
            $"(Exploration/, docs/reliability.md): {counterexample.Length} steps; no shorter sequence of the alphabet violates {oracle} in this universe.",
            $"Universe: {options.Universe}; alphabet: {options.Alphabet.Name}.",
            $"Regenerate: dotnet run --project Cli -- explore {Arguments(options, counterexample.Length)} --write-counterexamples DIR",
        ];
        var draft = ScenarioWriter.Write(options.Universe, name, comments, Era.All.ToDictionary(e => e.Name, _ => false), replay.Executed);
        var verdicts = Era.All.ToDictionary(e => e.Name, era => Fails(draft, era));
        return ScenarioWriter.Write(options.Universe, name, comments, verdicts, replay.Executed);
    }

    /// <summary>The explore arguments that repeat an exploration to <paramref name="depth"/>.</summary>
    public static string Arguments(ExplorationOptions options, int depth)
    {
        var universe = options.Universe;
        var pages = universe.Slots.Count(s => s == SlotKind.BasePage);
        var alphabet = options.Alphabet.Name == "custom" ? $"'{options.Alphabet}'" : options.Alphabet.Name;
        return $"--era {options.Era.Name} --depth {depth} --processes {universe.MaxProcesses} --pages {pages}"
            + (universe.Slots.Contains(SlotKind.Thp) ? " --thp" : "") + (universe.Slots.Contains(SlotKind.Hugetlb) ? " --hugetlb" : "")
            + $" --references {universe.MaxReferences} --alphabet {alphabet}";
    }

    /// <summary>Whether the scenario runner sees the scenario's check fail under an era (an error counts as a bug here).</summary>
    private static bool Fails(string text, Era era)
    {
        var instance = ScenarioLoader.LoadText("counterexample.cow", text).Single();
        var result = Interpreter.Run(instance, era, new RunOptions(CheckInvariants: true));
        return result.Error is null
            ? result.Observed == Verdict.Fail
            : throw new InvalidOperationException($"the counterexample does not run under era {era.Name}: {result.Error.Message}\n{text}");
    }
}
