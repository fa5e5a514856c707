using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// One parsed file: a scenario (a <c>scenario</c> header, verdicts, the backings it runs over and its body) or a
/// library of backings and groups used through <c>include</c>.
/// </summary>
internal sealed record ScenarioDocument(
    string File,
    ScenarioHeader? Header,
    IReadOnlyList<VerdictRule> Verdicts,
    IReadOnlyList<NameReference> Over,
    IReadOnlyList<IncludeDirective> Includes,
    IReadOnlyList<BackingDefinition> Backings,
    IReadOnlyList<GroupDefinition> Groups,
    IReadOnlyList<Statement> Body);

internal sealed record ScenarioHeader(string Name, SourceLocation Location);

/// <summary>
/// <c>verdict [PATTERN:] M=.. F=.. R=.. X=..</c>. Without a pattern it is the default and must name all four eras;
/// with one it overrides the named eras for backings whose id matches the glob (e.g. <c>hugetlb*</c>, <c>thp_pte[2M]</c>).
/// Later rules win.
/// </summary>
internal sealed record VerdictRule(string? BackingPattern, IReadOnlyDictionary<EraCode, Verdict> Verdicts, SourceLocation Location);

internal sealed record NameReference(string Name, SourceLocation Location);

internal sealed record IncludeDirective(string Path, SourceLocation Location);

/// <summary>
/// <c>backing NAME "display" [for VAR in V1, V2 ...]</c> ... <c>end</c>: a reusable way to prepare the memory a test
/// runs on. With <c>for</c> it stands for one backing per value, with VAR bound to the value and "{VAR}" in the display
/// name replaced by the value in kB (cow.c prints "THP (2048 kB)").
/// </summary>
internal sealed record BackingDefinition(
    string Name,
    string DisplayName,
    string? Parameter,
    IReadOnlyList<NumberExpr> ParameterValues,
    IReadOnlyList<Statement> Body,
    SourceLocation Location);

/// <summary><c>group NAME = a, b, c</c>: a named list of backings (or other groups).</summary>
internal sealed record GroupDefinition(string Name, IReadOnlyList<NameReference> Members, SourceLocation Location);
