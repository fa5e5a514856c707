using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>The backings and groups visible to a scenario: its own and those of the files it includes (transitively).</summary>
internal sealed class BackingLibrary(DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, BackingSyntax> _backings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupSyntax> _groups = new(StringComparer.Ordinal);

    /// <summary>Adds a document's definitions and loads its includes; <paramref name="chain"/> is the include path so far (for cycles).</summary>
    public void Add(DocumentSyntax document, IReadOnlyList<string> chain)
    {
        foreach (var backing in document.Backings)
        {
            Define(_backings, backing.Name, backing, backing.Location, b => b.Location);
        }

        foreach (var group in document.Groups)
        {
            Define(_groups, group.Name, group, group.Location, g => g.Location);
        }

        foreach (var include in document.Includes)
        {
            diagnostics.Try(() => AddInclude(document, include, chain));
        }
    }

    private void AddInclude(DocumentSyntax document, IncludeSyntax include, IReadOnlyList<string> chain)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(document.File)) ?? ".";
        var path = Path.GetFullPath(Path.Combine(directory, include.Path));
        if (chain.Contains(path))
        {
            throw new ScenarioFileException(include.Location, $"include cycle: {string.Join(" -> ", chain.Select(Path.GetFileName))} -> {Path.GetFileName(path)}");
        }

        var included = DocumentParser.Parse(path, ScenarioLoader.ReadFile(path, include.Location), diagnostics);
        if (!included.IsLibrary)
        {
            throw new ScenarioSyntaxException(include.Location, $"'{include.Path}' is not a backing library: an included file may only hold backing, group and include lines");
        }

        Add(included, [.. chain, path]);
    }

    /// <summary>
    /// Binds every backing on its own, before any scenario uses it: what is wrong inside a backing (a missing
    /// argument, a constant out of range) is found even where no instance runs it. Names the backing takes from the
    /// scenario that runs it (such as <c>parent</c>) are unknown here and not reported; the parameter is a number.
    /// </summary>
    public void CheckBackings()
    {
        foreach (var backing in _backings.Values)
        {
            Binding.Binder.BindBacking(backing, diagnostics);
        }
    }

    /// <summary>
    /// The backing instances named by an 'over' list, groups expanded, in order, without duplicates; an unknown name
    /// is reported (and <paramref name="complete"/> is false).
    /// </summary>
    public IReadOnlyList<BackingInstance> Resolve(IReadOnlyList<NameReference> names, out bool complete)
    {
        var result = new List<BackingInstance>();
        var ok = true;
        foreach (var name in names)
        {
            ok &= diagnostics.Try(() => Expand(name, result, []));
        }

        complete = ok;
        return result.DistinctBy(b => b.Id).ToList();
    }

    private void Expand(NameReference name, List<BackingInstance> into, HashSet<string> visiting)
    {
        if (_backings.TryGetValue(name.Name, out var backing))
        {
            into.AddRange(BackingInstance.Expand(backing));
            return;
        }

        if (!_groups.TryGetValue(name.Name, out var group))
        {
            var known = _backings.Keys.Concat(_groups.Keys).Order(StringComparer.Ordinal);
            throw new ScenarioInvalidException(name.Location, $"unknown backing or group '{name.Name}' (known: {string.Join(", ", known)}; did you forget an 'include'?)");
        }

        if (!visiting.Add(group.Name))
        {
            throw new ScenarioInvalidException(name.Location, $"group '{group.Name}' contains itself");
        }

        foreach (var member in group.Members)
        {
            Expand(member, into, visiting);
        }

        visiting.Remove(group.Name);
    }

    private void Define<T>(Dictionary<string, T> table, string name, T definition, SourceLocation location, Func<T, SourceLocation> locationOf)
    {
        if (table.TryGetValue(name, out var existing))
        {
            diagnostics.Report(location, DiagnosticKind.Error, $"'{name}' is defined twice; the first definition is at {locationOf(existing)}");
            return;
        }

        table[name] = definition;
    }
}
