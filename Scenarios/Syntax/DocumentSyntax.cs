using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// One parsed file: a scenario (a <c>scenario</c> header, verdicts, the backings it runs over and its body) or a
/// library of backings and groups used through <c>include</c>.
/// </summary>
internal sealed record DocumentSyntax(
    string File,
    ScenarioHeaderSyntax? Header,
    IReadOnlyList<VerdictRuleSyntax> Verdicts,
    IReadOnlyList<NameReference> Over,
    IReadOnlyList<IncludeSyntax> Includes,
    IReadOnlyList<BackingSyntax> Backings,
    IReadOnlyList<GroupSyntax> Groups,
    IReadOnlyList<StatementSyntax> Body)
{
    /// <summary>Header keywords (scenario, verdict, over ...) of lines that could not be parsed: what they would have said is unknown.</summary>
    public IReadOnlySet<string> FaultyHeaders { get; init; } = new HashSet<string>();

    /// <summary>Only backing, group and include lines: what an included file must be.</summary>
    public bool IsLibrary => Header is null && Body.Count == 0 && Verdicts.Count == 0 && Over.Count == 0;
}

internal sealed record ScenarioHeaderSyntax(string Name, SourceLocation Location);

/// <summary>
/// <c>verdict [PATTERN:] ERA=VERDICT ...</c>. Without a pattern it is the default; with one it overrides the named
/// eras for backings whose id matches the glob (e.g. <c>hugetlb*</c>, <c>thp_pte[2M]</c>). Eras are resolved by the loader.
/// </summary>
internal sealed record VerdictRuleSyntax(string? BackingPattern, IReadOnlyList<EraVerdictSyntax> Verdicts, SourceLocation Location);

/// <summary>One <c>ERA=VERDICT</c> pair: the era as written (a name such as AnonExclusive, or an alias letter) and the verdict.</summary>
internal sealed record EraVerdictSyntax(Token Era, Verdicts.Verdict Verdict);

internal sealed record NameReference(string Name, SourceLocation Location);

internal sealed record IncludeSyntax(string Path, SourceLocation Location);

/// <summary>
/// <c>backing NAME "display" [for VAR in V1, V2 ...]</c> ... <c>end</c>: a reusable way to prepare the memory a test
/// runs on. With <c>for</c> it stands for one backing per value, with VAR bound to the value and "{VAR}" in the display
/// name replaced by the value in kB (cow.c prints "THP (2048 kB)").
/// </summary>
internal sealed record BackingSyntax(
    string Name,
    string DisplayName,
    Token? Parameter,
    IReadOnlyList<NumberSyntax> ParameterValues,
    IReadOnlyList<StatementSyntax> Body,
    SourceLocation Location);

/// <summary><c>group NAME = a, b, c</c>: a named list of backings (or other groups).</summary>
internal sealed record GroupSyntax(string Name, IReadOnlyList<NameReference> Members, SourceLocation Location);
