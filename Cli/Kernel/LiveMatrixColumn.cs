using CowGuard.Scenarios.LiveKernel;
using Spectre.Console;

namespace CowGuard.Cli.Kernel;

/// <summary>
/// The "live" column of <c>matrix --kernel</c>: the live kernel's verdict per instance, "≠model" where it disagrees
/// with the model's era for this kernel, "≠declared" where it contradicts the file's verdict for that era, and
/// "skip #N" pointing at the numbered list of skip reasons printed under the table.
/// </summary>
internal sealed class LiveMatrixColumn
{
    private readonly LiveKernelRun _run;
    private readonly List<string> _reasons = [];

    public LiveMatrixColumn(LiveKernelRun run)
    {
        _run = run;
        foreach (var skipped in _run.Comparisons.Where(c => c.Live.Outcome == LiveOutcome.Skipped))
        {
            if (!_reasons.Contains(skipped.Live.ReasonWithLocation!))
            {
                _reasons.Add(skipped.Live.ReasonWithLocation!);
            }
        }
    }

    /// <summary>Worth a row under --differences: a disagreement or a live-kernel error.</summary>
    public bool IsNoteworthy(int row) => _run.Comparisons[row] is var c && (c.IsDisagreement || c.Live.Outcome == LiveOutcome.Error);

    public Markup Cell(int row)
    {
        var comparison = _run.Comparisons[row];
        switch (comparison.Live.Outcome)
        {
            case LiveOutcome.Skipped:
                return new Markup($"skip #{_reasons.IndexOf(comparison.Live.ReasonWithLocation!) + 1}");
            case LiveOutcome.Error:
                return new Markup("[red]error[/]");
        }

        var marks = (comparison.DisagreesWithModel ? " ≠model" : string.Empty) + (comparison.ContradictsDeclaration ? " ≠declared" : string.Empty);
        var text = Markup.Escape(comparison.ShownVerdict + marks);
        return marks.Length == 0 ? new Markup(text) : new Markup($"[red]{text}[/]");
    }

    public void WriteSummary(TextWriter output)
    {
        var all = _run.Comparisons;
        var ran = all.Where(c => c.Live.Outcome == LiveOutcome.Ran).ToList();
        output.WriteLine(
            $"Live kernel ({_run.Title}): {all.Count} instances: {ran.Count} ran ({ran.Count(c => !c.IsDisagreement)} agree, " +
            $"{ran.Count(c => c.DisagreesWithModel)} disagree with the model, {ran.Count(c => c.ContradictsDeclaration)} contradict the declared verdict), " +
            $"{all.Count(c => c.Live.Outcome == LiveOutcome.Skipped)} skipped, {all.Count(c => c.Live.Outcome == LiveOutcome.Error)} errors");
        output.WriteLine($"Live kernel facts: {_run.Facts.Describe()}");
        var differing = all.Where(c => c.DisagreesWithModel).ToList();
        if (differing.Count > 0)
        {
            output.WriteLine("Checks whose outcome on the live kernel differs from the model's:");
            foreach (var comparison in differing)
            {
                output.WriteLine($"  {comparison.Instance.DisplayName}: {string.Join("; ", comparison.CheckDifferences.Select(d => d.Describe()))}");
            }
        }

        if (_reasons.Count == 0)
        {
            return;
        }

        output.WriteLine("Skipped on the live kernel:");
        for (var i = 0; i < _reasons.Count; i++)
        {
            var count = all.Count(c => c.Live.Outcome == LiveOutcome.Skipped && c.Live.ReasonWithLocation == _reasons[i]);
            output.WriteLine($"  #{i + 1} ({count}×) {_reasons[i]}");
        }
    }
}
