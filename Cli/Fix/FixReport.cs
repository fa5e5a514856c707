using Microsoft.CodeAnalysis;

namespace CowGuard.Cli.Fix;

/// <summary>What <c>cowguard fix</c> found and would change; the diff, the SARIF log and the edits are all written from it.</summary>
internal sealed record FixReport(FixChoice Choice, IReadOnlyList<FileFix> Files, IReadOnlyList<FixResult> Results)
{
    public int Fixed => Results.Count(r => r.Edits.Count > 0);

    public IEnumerable<FixResult> Unfixed => Results.Where(r => r.Edits.Count == 0);
}

/// <summary>One file the fixes change: its full path, both texts, and the line edits between them in file order.</summary>
internal sealed record FileFix(string Path, string Original, string Fixed, System.Text.Encoding? Encoding, IReadOnlyList<LineEdit> Edits);

/// <summary>
/// One CowGuard diagnostic and the edits of the Fix All result that fix it (empty when the chosen fix does not apply,
/// e.g. BreakCow on an API without a flags parameter). Two results may share an edit: one attribute covers both
/// calls of a method.
/// </summary>
internal sealed record FixResult(Diagnostic Diagnostic, string Path, string? FixTitle, IReadOnlyList<LineEdit> Edits)
{
    public FileLinePositionSpan Span => Diagnostic.Location.GetLineSpan();
}
