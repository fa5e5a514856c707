using CowGuard.Scenarios.Binding;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Lowering;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Loads a scenario file: parse it and its includes, resolve verdicts and backings, lower <c>setup</c> and bind one
/// program per backing instance. Every problem of every stage is collected and, if there is any, thrown together as
/// one <see cref="ScenarioLoadException"/> in file order, so nothing faulty ever runs and nothing is reported per era.
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
        var diagnostics = new DiagnosticBag();
        var document = DocumentParser.Parse(file, text, diagnostics);
        var library = new BackingLibrary(diagnostics);
        library.Add(document, [Path.GetFullPath(file)]);
        library.CheckBackings();
        var header = document.Header ?? new ScenarioHeaderSyntax("?", new SourceLocation(file, 1, 1));
        if (document.Header is null && !document.FaultyHeaders.Contains("scenario"))
        {
            diagnostics.Report(header.Location, DiagnosticKind.Syntax, "expected a 'scenario \"name\"' header: this file only defines backings and groups");
        }

        var verdicts = document.Header is null ? null : VerdictRules.Bind(document.Verdicts, header, document.FaultyHeaders.Contains("verdict"), diagnostics);
        var backings = library.Resolve(document.Over, out var resolved);
        var shaped = resolved && !document.FaultyHeaders.Contains("over") && SetupRules.Check(document, header, backings.Count > 0, diagnostics);
        var namedBacking = shaped && backings.Count == 0 ? NamedSetupBacking(document, library, diagnostics, out shaped) : null;
        if (verdicts is not null)
        {
            CheckPatterns(verdicts, backings, diagnostics);
        }

        var instances = new List<ScenarioInstance>();
        if (shaped && document.Header is not null)
        {
            IReadOnlyList<BackingInstance?> units = backings.Count == 0 ? [namedBacking] : [.. backings];
            foreach (var backing in units)
            {
                var program = Binder.Bind(SetupLowering.Lower(document.Body, backing), diagnostics);
                var expected = verdicts?.For(backings.Count == 0 ? null : backing!.Id);
                if (expected is not null)
                {
                    instances.Add(new ScenarioInstance(file, header.Name, backing, expected, program) { BackingInName = backings.Count > 0 });
                }
            }
        }

        diagnostics.ThrowIfAny();
        return instances;
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

    /// <summary>
    /// The backing a scenario without 'over' names in its <c>setup NAME</c>, which must stand for exactly one backing;
    /// <paramref name="usable"/> is false when the body names a backing that is unknown or stands for several.
    /// </summary>
    private static BackingInstance? NamedSetupBacking(DocumentSyntax document, BackingLibrary library, DiagnosticBag diagnostics, out bool usable)
    {
        usable = true;
        if (SetupRules.NamedBacking(document) is not { } name)
        {
            return null;
        }

        var resolved = library.Resolve([name], out var known);
        if (known && resolved.Count != 1)
        {
            diagnostics.Report(name.Location, DiagnosticKind.Error, $"'setup {name.Name}' must name a single backing, but it stands for {resolved.Count}");
        }

        usable = resolved.Count == 1;
        return usable ? resolved[0] : null;
    }

    private static void CheckPatterns(VerdictRules verdicts, IReadOnlyList<BackingInstance> backings, DiagnosticBag diagnostics)
    {
        foreach (var rule in verdicts.PatternRules)
        {
            if (!backings.Any(b => BackingPattern.Matches(rule.BackingPattern!, b.Id)))
            {
                var known = backings.Count == 0 ? "this scenario runs over no backings" : "its backings are " + string.Join(", ", backings.Select(b => b.Id));
                diagnostics.Report(rule.Location, DiagnosticKind.Error, $"verdict pattern '{rule.BackingPattern}' matches no backing of this scenario ({known})");
            }
        }
    }
}
