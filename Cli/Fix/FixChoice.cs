using System.Collections.Immutable;
using CowGuard.Analyzers;
using CowGuard.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CowGuard.Cli.Fix;

/// <summary>
/// Which of CowGuard's shipped code fixes <c>cowguard fix --fix NAME</c> applies, and to which rules. BreakCow is the
/// default because it is always safe (the kernel's own conclusion); Write claims write intent; justify adds
/// <c>[WrongSideCowOk("&lt;Pending&gt;")]</c>, whose placeholder keeps failing CG0002 until a person writes the reason.
/// </summary>
internal sealed record FixChoice(string Name, CodeFixProvider Provider, ImmutableArray<string> DiagnosticIds, string Summary)
{
    public static IReadOnlyList<FixChoice> All { get; } =
    [
        new("breakcow", new CG0001AddBreakCowCodeFix(), [RuleIdentifiers.PageReferenceWithoutBreakCow],
            "add FollFlags.BreakCow to every CG0001 call (break COW without claiming to write)"),
        new("write", new CG0001AddWriteCodeFix(), [RuleIdentifiers.PageReferenceWithoutBreakCow],
            "add FollFlags.Write to every CG0001 call (for callers that do write through the pages)"),
        new("justify", new CG0001AddWrongSideCowOkCodeFix(),
            [RuleIdentifiers.PageReferenceWithoutBreakCow, RuleIdentifiers.FlagsNotProvable, RuleIdentifiers.PageReferenceApiAsDelegate],
            "add [WrongSideCowOk(\"<Pending>\")] for CG0001, CG0004 and CG0005; CG0002 fails until you write why each is safe"),
    ];

    public static FixChoice Default => All[0];

    public static FixChoice? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>True for the attribute fix: it writes a placeholder the user must replace with a real reason.</summary>
    public bool WritesPlaceholder => Provider is CG0001AddWrongSideCowOkCodeFix;
}
