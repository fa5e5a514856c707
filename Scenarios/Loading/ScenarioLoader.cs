using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Reads a scenario file with its includes and expands it into one <see cref="ScenarioInstance"/> per backing it
/// runs over, each with its expected verdict per era. Checks what a single line cannot: a header and a default
/// verdict exist, names resolve, verdict patterns match something, and 'setup' is used exactly when there are backings.
/// </summary>
internal static class ScenarioLoader
{
    public static IReadOnlyList<ScenarioInstance> LoadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        return LoadText(fullPath, ReadFile(fullPath, new SourceLocation(path, 1, 1)));
    }

    public static IReadOnlyList<ScenarioInstance> LoadText(string file, string text)
    {
        var document = DocumentParser.Parse(file, text);
        var header = document.Header
            ?? throw new ScenarioSyntaxException(new SourceLocation(file, 1, 1), "expected a 'scenario \"name\"' header: this file only defines backings and groups");
        var library = new BackingLibrary();
        library.Add(document, [Path.GetFullPath(file)]);

        var defaults = document.Verdicts.Where(v => v.BackingPattern is null).ToList();
        if (defaults.Count == 0)
        {
            throw new ScenarioSyntaxException(header.Location, $"scenario '{header.Name}' has no default verdict: expected a line 'verdict M=... F=... R=... X=...'");
        }

        if (defaults.Count > 1)
        {
            throw new ScenarioSyntaxException(defaults[1].Location, $"a second default verdict; the first is at line {defaults[0].Location.Line} (give a backing pattern for exceptions, e.g. 'verdict hugetlb*: X=XFAIL')");
        }

        var backings = library.Resolve(document.Over);
        CheckSetup(document, header, backings.Count > 0);
        CheckPatterns(document, backings);

        var instances = backings.Count == 0
            ? [new ScenarioInstance(file, header.Name, NamedSetupBacking(document, library), defaults[0].Verdicts, document.Body) { BackingInName = false }]
            : backings.Select(b => new ScenarioInstance(file, header.Name, b, ExpectedFor(document, b), document.Body)).ToList();
        instances.ForEach(NameChecker.Check);
        return instances;
    }

    /// <summary>The backing a scenario without 'over' names in its <c>setup NAME</c>, which must stand for exactly one backing.</summary>
    private static BackingInstance? NamedSetupBacking(ScenarioDocument document, BackingLibrary library)
    {
        if (document.Body.OfType<SetupStatement>().FirstOrDefault() is not { Backing: { } name })
        {
            return null;
        }

        var resolved = library.Resolve([name]);
        return resolved.Count == 1
            ? resolved[0]
            : throw new ScenarioSyntaxException(name.Location, $"'setup {name.Name}' must name a single backing, but it stands for {resolved.Count}");
    }

    internal static string ReadFile(string path, SourceLocation requestedAt)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ScenarioFileException(requestedAt, $"cannot read '{path}': {e.Message}", e);
        }
    }

    private static Dictionary<EraCode, Verdict> ExpectedFor(ScenarioDocument document, BackingInstance backing)
    {
        var expected = new Dictionary<EraCode, Verdict>(document.Verdicts.Single(v => v.BackingPattern is null).Verdicts);
        foreach (var rule in document.Verdicts.Where(v => v.BackingPattern is not null && BackingPattern.Matches(v.BackingPattern, backing.Id)))
        {
            foreach (var (era, verdict) in rule.Verdicts)
            {
                expected[era] = verdict;
            }
        }

        return expected;
    }

    private static void CheckSetup(ScenarioDocument document, ScenarioHeader header, bool hasBackings)
    {
        var setups = document.Body.OfType<SetupStatement>().ToList();
        if (hasBackings && setups.FirstOrDefault(s => s.Backing is not null) is { } named)
        {
            throw new ScenarioSyntaxException(named.Location, "this scenario runs over the backings of its 'over' line: write 'setup' without a name");
        }

        if (setups.Count > 1)
        {
            throw new ScenarioSyntaxException(setups[1].Location, "'setup' may appear only once");
        }

        if (hasBackings && setups.Count != 1)
        {
            var where = setups.Count == 0 ? header.Location : setups[1].Location;
            throw new ScenarioSyntaxException(where, $"a scenario with 'over' must call 'setup' exactly once (found {setups.Count})");
        }

        if (!hasBackings && setups.Count > 0 && setups[0].Backing is null)
        {
            throw new ScenarioSyntaxException(setups[0].Location, "'setup' runs the current backing, but this scenario has no 'over' line naming backings");
        }
    }

    private static void CheckPatterns(ScenarioDocument document, IReadOnlyList<BackingInstance> backings)
    {
        foreach (var rule in document.Verdicts.Where(v => v.BackingPattern is not null))
        {
            if (!backings.Any(b => BackingPattern.Matches(rule.BackingPattern!, b.Id)))
            {
                var known = backings.Count == 0 ? "this scenario runs over no backings" : "its backings are " + string.Join(", ", backings.Select(b => b.Id));
                throw new ScenarioSyntaxException(rule.Location, $"verdict pattern '{rule.BackingPattern}' matches no backing of this scenario ({known})");
            }
        }
    }
}
