using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Verdicts;
using CowGuard.Scenarios.Interpretation;
using CowGuard.VmModel;

namespace CowGuard.Cli;

/// <summary>Prints a run as "file:line  source text" followed by the model events that statement produced.</summary>
internal sealed class TraceWriter(TextWriter output)
{
    private readonly Dictionary<string, string[]> _sources = new(StringComparer.Ordinal);

    public void Write(RunResult result, bool allSteps)
    {
        output.WriteLine($"{result.Instance.DisplayName}   (era {ScenarioSelection.EraTitle(result.Era)})");
        foreach (var step in result.Steps)
        {
            var events = result.Events.Skip(step.FirstEvent).Take(step.EndEvent - step.FirstEvent).ToList();
            var check = step.Statement is BoundExpect expect ? result.Checks.FirstOrDefault(c => c.Check.Index == expect.Index) : null;
            if (events.Count == 0 && check is null && step.Outcome is null && !allSteps)
            {
                continue;
            }

            var location = step.Statement.Location;
            output.WriteLine($"{Path.GetFileName(location.File)}:{location.Line}{(step.FromBacking ? " (backing)" : string.Empty)}  {SourceLine(location.File, location.Line)}");
            foreach (var e in events)
            {
                output.WriteLine($"    {Describe(e)}");
            }

            if (step.Outcome is { } outcome)
            {
                output.WriteLine($"    try returned {outcome.Show()}");
            }

            if (check is not null)
            {
                output.WriteLine($"    {check.Format()}");
            }
        }

        output.WriteLine(result.Error is null ? $"=> {VerdictText.Format(result.Observed)}" : "=> ERROR");
    }

    /// <summary>One event in kernel terms: kind, who and where, the page's counts before → after, and the deciding condition.</summary>
    public static string Describe(VmEvent e)
    {
        var where = e.Process.Length == 0 ? string.Empty : $" {e.Process}@0x{e.Address:x}";
        var change = (e.Before, e.After) switch
        {
            (null, null) => string.Empty,
            ({ } before, null) => $"  [{before}]",
            (null, { } after) => $"  -> [{after}]",
            ({ } before, { } after) => $"  [{before}] -> [{after}]",
        };
        var detail = e.Detail.Length == 0 ? string.Empty : $"  ({e.Detail})";
        return $"{e.Kind}{where}{change}{detail}";
    }

    private string SourceLine(string file, int line)
    {
        if (!_sources.TryGetValue(file, out var lines))
        {
            lines = File.Exists(file) ? File.ReadAllLines(file) : [];
            _sources[file] = lines;
        }

        return line - 1 < lines.Length ? lines[line - 1].Trim() : string.Empty;
    }
}
