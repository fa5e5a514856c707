namespace CowGuard.Scenarios.Diagnostics;

/// <summary>
/// Collects every problem found while loading a scenario, so a user sees them all at once. The same problem found
/// again (the same statement bound once per backing instance) is kept once; <see cref="InFileOrder"/> sorts them by
/// file (in the order the files were read), line and column.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly HashSet<Diagnostic> _seen = [];
    private readonly List<string> _files = [];

    public bool HasErrors => _diagnostics.Count > 0;

    /// <summary>Marks the order files were read in: diagnostics of an earlier file come first.</summary>
    public void FileRead(string file)
    {
        if (!_files.Contains(file))
        {
            _files.Add(file);
        }
    }

    public void Report(SourceLocation location, DiagnosticKind kind, string cause) => Add(new Diagnostic(location, kind, cause));

    public void Add(Diagnostic diagnostic)
    {
        if (_seen.Add(diagnostic))
        {
            _diagnostics.Add(diagnostic);
        }
    }

    /// <summary>Runs <paramref name="action"/>; a <see cref="ScenarioException"/> it throws becomes diagnostics and false.</summary>
    public bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (ScenarioException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                Add(diagnostic);
            }

            return false;
        }
    }

    public IReadOnlyList<Diagnostic> InFileOrder() =>
        _diagnostics
            .OrderBy(d => _files.IndexOf(d.Location.File) is var index and >= 0 ? index : int.MaxValue)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();

    /// <summary>Throws every diagnostic collected so far as one <see cref="ScenarioLoadException"/>, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ScenarioLoadException(InFileOrder());
        }
    }
}
