using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>The backings and groups visible to a scenario: its own and those of the files it includes (transitively).</summary>
internal sealed class BackingLibrary
{
    private readonly Dictionary<string, BackingDefinition> backings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupDefinition> groups = new(StringComparer.Ordinal);

    /// <summary>Adds a document's definitions and loads its includes; <paramref name="chain"/> is the include path so far (for cycles).</summary>
    public void Add(ScenarioDocument document, IReadOnlyList<string> chain)
    {
        foreach (var backing in document.Backings)
        {
            Define(backings, backing.Name, backing, backing.Location, b => b.Location);
        }

        foreach (var group in document.Groups)
        {
            Define(groups, group.Name, group, group.Location, g => g.Location);
        }

        foreach (var include in document.Includes)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(document.File)) ?? ".";
            var path = Path.GetFullPath(Path.Combine(directory, include.Path));
            if (chain.Contains(path))
            {
                throw new ScenarioFileException(include.Location, $"include cycle: {string.Join(" -> ", chain.Select(Path.GetFileName))} -> {Path.GetFileName(path)}");
            }

            var included = DocumentParser.Parse(path, ScenarioLoader.ReadFile(path, include.Location));
            if (included.Header is not null || included.Body.Count > 0 || included.Verdicts.Count > 0 || included.Over.Count > 0)
            {
                throw new ScenarioSyntaxException(include.Location, $"'{include.Path}' is not a backing library: an included file may only hold backing, group and include lines");
            }

            Add(included, [.. chain, path]);
        }
    }

    /// <summary>The backing instances named by an 'over' list, groups expanded, in order, without duplicates.</summary>
    public IReadOnlyList<BackingInstance> Resolve(IReadOnlyList<NameReference> names)
    {
        var result = new List<BackingInstance>();
        foreach (var name in names)
        {
            Expand(name, result, []);
        }

        return result.DistinctBy(b => b.Id).ToList();
    }

    private void Expand(NameReference name, List<BackingInstance> into, HashSet<string> visiting)
    {
        if (backings.TryGetValue(name.Name, out var backing))
        {
            into.AddRange(BackingInstance.Expand(backing));
            return;
        }

        if (!groups.TryGetValue(name.Name, out var group))
        {
            var known = backings.Keys.Concat(groups.Keys).Order(StringComparer.Ordinal);
            throw new ScenarioSyntaxException(name.Location, $"unknown backing or group '{name.Name}' (known: {string.Join(", ", known)}; did you forget an 'include'?)");
        }

        if (!visiting.Add(group.Name))
        {
            throw new ScenarioSyntaxException(name.Location, $"group '{group.Name}' contains itself");
        }

        foreach (var member in group.Members)
        {
            Expand(member, into, visiting);
        }

        visiting.Remove(group.Name);
    }

    private static void Define<T>(Dictionary<string, T> table, string name, T definition, SourceLocation location, Func<T, SourceLocation> locationOf)
    {
        if (table.TryGetValue(name, out var existing))
        {
            throw new ScenarioSyntaxException(location, $"'{name}' is defined twice; the first definition is at {locationOf(existing)}");
        }

        table[name] = definition;
    }
}
