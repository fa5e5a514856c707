using System.CommandLine;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;

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
        Description = "M, F, R, X (or Mapcount, ForcedCowGup, Refcount, AnonExclusive), or all.",
        DefaultValueFactory = _ => defaultValue,
    };

    public static IReadOnlyList<ScenarioInstance> Load(string file, string? backingPattern)
    {
        var path = File.Exists(file) || !File.Exists(Path.Combine(BuiltInCatalogue.Root, file)) ? file : Path.Combine(BuiltInCatalogue.Root, file);
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
    public static IReadOnlyList<EraCode>? ParseEras(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Enum.GetValues<EraCode>();
        }

        var byName = new Dictionary<string, EraCode>(StringComparer.OrdinalIgnoreCase)
        {
            ["M"] = EraCode.M, ["Mapcount"] = EraCode.M,
            ["F"] = EraCode.F, ["ForcedCowGup"] = EraCode.F,
            ["R"] = EraCode.R, ["Refcount"] = EraCode.R,
            ["X"] = EraCode.X, ["AnonExclusive"] = EraCode.X,
        };
        return byName.TryGetValue(text, out var era) ? [era] : null;
    }

    public static string EraTitle(EraCode era)
    {
        var model = Scenarios.Interpretation.Interpreter.EraOf(era);
        return $"{era} = {model.Name} ({model.KernelVersions})";
    }
}
