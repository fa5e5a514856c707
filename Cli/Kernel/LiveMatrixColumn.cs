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
    private readonly LiveKernelRun run;
    private readonly List<string> reasons = [];

    public LiveMatrixColumn(LiveKernelRun run)
    {
        this.run = run;
        foreach (var skipped in run.Comparisons.Where(c => c.Live.Outcome == LiveOutcome.Skipped))
        {
            if (!reasons.Contains(skipped.Live.ReasonWithLocation!))
            {
                reasons.Add(skipped.Live.ReasonWithLocation!);
            }
        }
    }

    /// <summary>Worth a row under --differences: a disagreement or a live-kernel error.</summary>
    public bool IsNoteworthy(int row) => run.Comparisons[row] is var c && (c.IsDisagreement || c.Live.Outcome == LiveOutcome.Error);

    public Markup Cell(int row)
    {
        var comparison = run.Comparisons[row];
        switch (comparison.Live.Outcome)
        {
            case LiveOutcome.Skipped:
                return new Markup($"skip #{reasons.IndexOf(comparison.Live.ReasonWithLocation!) + 1}");
            case LiveOutcome.Error:
                return new Markup("[red]error[/]");
        }

        var marks = (comparison.DisagreesWithModel ? " ≠model" : string.Empty) + (comparison.ContradictsDeclaration ? " ≠declared" : string.Empty);
        var text = Markup.Escape(comparison.ShownVerdict + marks);
        return marks.Length == 0 ? new Markup(text) : new Markup($"[red]{text}[/]");
    }

    public void WriteSummary(TextWriter output)
    {
        var all = run.Comparisons;
        var ran = all.Where(c => c.Live.Outcome == LiveOutcome.Ran).ToList();
        output.WriteLine(
            $"Live kernel ({run.Title}): {all.Count} instances: {ran.Count} ran ({ran.Count(c => !c.IsDisagreement)} agree, " +
            $"{ran.Count(c => c.DisagreesWithModel)} disagree with the model, {ran.Count(c => c.ContradictsDeclaration)} contradict the declared verdict), " +
            $"{all.Count(c => c.Live.Outcome == LiveOutcome.Skipped)} skipped, {all.Count(c => c.Live.Outcome == LiveOutcome.Error)} errors");
        output.WriteLine($"Live kernel facts: {run.Facts.Describe()}");
        if (reasons.Count == 0)
        {
            return;
        }

        output.WriteLine("Skipped on the live kernel:");
        for (var i = 0; i < reasons.Count; i++)
        {
            var count = all.Count(c => c.Live.Outcome == LiveOutcome.Skipped && c.Live.ReasonWithLocation == reasons[i]);
            output.WriteLine($"  #{i + 1} ({count}×) {reasons[i]}");
        }
    }
}
