using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Loading;

/// <summary>A verdict line with its eras resolved.</summary>
internal sealed record VerdictRule(string? BackingPattern, IReadOnlyDictionary<Era, Verdict> Verdicts, SourceLocation Location);

/// <summary>
/// The verdict lines of a scenario, their eras resolved (<see cref="EraNames"/>): exactly one default rule that
/// names every era refining no other, any number of pattern rules, and the declared verdict of each instance.
/// </summary>
internal sealed class VerdictRules
{
    private readonly IReadOnlyList<VerdictRule> _rules;

    private VerdictRules(IReadOnlyList<VerdictRule> rules) => _rules = rules;

    public IEnumerable<VerdictRule> PatternRules => _rules.Where(r => r.BackingPattern is not null);

    /// <summary>
    /// Resolves <paramref name="syntax"/>, reporting unknown or repeated eras and a missing or incomplete default; null
    /// when unusable. <paramref name="faultyLine"/>: a verdict line could not be parsed, and a missing default may be
    /// that line, so it is not reported again.
    /// </summary>
    public static VerdictRules? Bind(IReadOnlyList<VerdictRuleSyntax> syntax, ScenarioHeaderSyntax header, bool faultyLine, DiagnosticBag diagnostics)
    {
        var rules = syntax.Select(s => BindRule(s, diagnostics)).ToList();
        var defaults = rules.Where(r => r.BackingPattern is null).ToList();
        if (defaults.Count == 0 && faultyLine)
        {
            return null;
        }

        if (defaults.Count == 0)
        {
            diagnostics.Report(header.Location, DiagnosticKind.Syntax, $"scenario '{header.Name}' has no default verdict: expected a line 'verdict {string.Join(" ", Era.All.Where(e => e.Refines is null).Select(e => e.Name + "=..."))}'");
            return null;
        }

        if (defaults.Count > 1)
        {
            diagnostics.Report(defaults[1].Location, DiagnosticKind.Syntax, $"a second default verdict; the first is at line {defaults[0].Location.Line} (give a backing pattern for exceptions, e.g. 'verdict hugetlb*: AnonExclusive=XFAIL')");
            return null;
        }

        // An era the line misspelled is reported already; "missing" would only repeat it.
        var readable = defaults[0].Verdicts.Count == syntax.Single(s => s.BackingPattern is null).Verdicts.Count;
        var missing = DeclaredVerdicts.MissingFromDefault(defaults[0].Verdicts, Era.All, e => e.Refines).ToList();
        if (missing.Count > 0 && !readable)
        {
            return null;
        }

        if (missing.Count > 0)
        {
            diagnostics.Report(defaults[0].Location, DiagnosticKind.Syntax, $"the default verdict must give every era that refines no other; missing {string.Join(", ", missing.Select(e => e.Name))}");
            return null;
        }

        return new VerdictRules(rules);
    }

    /// <summary>What the file declares for an instance on <paramref name="backingId"/> (null: no backing).</summary>
    public IReadOnlyDictionary<Era, Verdict> For(string? backingId) => DeclaredVerdicts.Resolve(
        _rules.Where(r => r.BackingPattern is null)
            .Concat(_rules.Where(r => r.BackingPattern is not null && backingId is not null && BackingPattern.Matches(r.BackingPattern, backingId)))
            .Select(r => r.Verdicts),
        Era.All,
        e => e.Refines);

    private static VerdictRule BindRule(VerdictRuleSyntax rule, DiagnosticBag diagnostics)
    {
        var verdicts = new Dictionary<Era, Verdict>();
        foreach (var pair in rule.Verdicts)
        {
            if (EraNames.Find(pair.Era.Text) is not { } era)
            {
                diagnostics.Report(pair.Era.Location, DiagnosticKind.Syntax, $"expected an era ({EraNames.Spellings}), found '{pair.Era.Text}'");
            }
            else if (!verdicts.TryAdd(era, pair.Verdict))
            {
                diagnostics.Report(pair.Era.Location, DiagnosticKind.Syntax, $"era {pair.Era.Text} is given twice in this verdict");
            }
        }

        return new VerdictRule(rule.BackingPattern, verdicts, rule.Location);
    }
}
