using System.CommandLine;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli;

/// <summary>The arguments commands share: a scenario file (a path, or a name in the built-in catalogue), a backing filter and eras.</summary>
internal static class ScenarioSelection
{
    public static Argument<string> FileArgument() => new("file")
    {
        Description = "A scenario file, or a built-in one by its catalogue path (e.g. anon/03-vmsplice-unmap-in-child.cow; see 'list').",
    };

    public static Option<string?> BackingOption() => new("--backing", "-b")
    {
        Description = "Only backings whose id matches this pattern ('*' wildcard), e.g. base or 'thp_pte[*]'.",
    };

    public static Option<string> EraOption(string defaultValue) => new("--era", "-e")
    {
        Description = $"An era: {EraNames.Spellings}, or all.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>A path as given, or else the built-in catalogue's file or folder of that name.</summary>
    public static string Resolve(string path) =>
        File.Exists(path) || Directory.Exists(path) || !(File.Exists(Path.Combine(BuiltInCatalogue.Root, path)) || Directory.Exists(Path.Combine(BuiltInCatalogue.Root, path)))
            ? path
            : Path.Combine(BuiltInCatalogue.Root, path);

    public static IReadOnlyList<ScenarioInstance> Load(string file, string? backingPattern)
    {
        var path = Resolve(file);
        var instances = ScenarioLoader.LoadFile(path);
        if (backingPattern is null)
        {
            return instances;
        }

        var selected = instances.Where(i => i.Backing is not null && BackingPattern.Matches(backingPattern, i.Backing.Id)).ToList();
        return selected.Count > 0
            ? selected
            : throw new ScenarioFileException(new SourceLocation(path, 1, 1), $"no backing of this scenario matches '{backingPattern}' (its backings: {string.Join(", ", instances.Select(i => i.Backing?.Id ?? "none"))})");
    }

    /// <summary>Parses an era option; an unknown era is a command-line error reported by the caller.</summary>
    public static IReadOnlyList<Era>? ParseEras(string text) =>
        text.Equals("all", StringComparison.OrdinalIgnoreCase) ? Era.All
        : EraNames.Find(text) is { } era ? [era]
        : null;

    public static string EraTitle(Era era) => EraNames.Title(era);
}
