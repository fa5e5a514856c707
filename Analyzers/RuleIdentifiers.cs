namespace CowGuard.Analyzers;

/// <summary>The one table of CowGuard rule IDs. Each ID has its analyzer under Rules/, its doc at docs/rules/ID.md.</summary>
public static class RuleIdentifiers
{
    /// <summary>A page-reference call that neither breaks COW nor sits under [WrongSideCowOk].</summary>
    public const string PageReferenceWithoutBreakCow = "CG0001";

    /// <summary>A [WrongSideCowOk] whose justification is missing, empty, a placeholder or too short.</summary>
    public const string JustificationMissing = "CG0002";

    /// <summary>A [WrongSideCowOk] on a scope that makes no page reference needing it.</summary>
    public const string StaleJustification = "CG0003";

    /// <summary>A page-reference call whose flags cannot be proven to break COW.</summary>
    public const string FlagsNotProvable = "CG0004";

    /// <summary>A page-reference API used as a method group, delegate or function pointer.</summary>
    public const string PageReferenceApiAsDelegate = "CG0005";

    /// <summary>A page-reference handle that is never released, returned, stored or passed on.</summary>
    public const string PageReferenceLeak = "CG0006";

    /// <summary>A page-reference handle released through the API of the other reference kind (get vs pin).</summary>
    public const string WrongReleaseApi = "CG0007";

    /// <summary>Audit record (not a rule): one per [WrongSideCowOk] with its justification and the calls it covers.</summary>
    public const string JustificationAudit = "CG0100";

    /// <summary>
    /// The help link of a rule: its page in the published repository's docs/rules folder. The base comes from the
    /// build's one repository URL property (CowGuardRepositoryUrl in Directory.Build.props), generated at build time.
    /// </summary>
    public static string GetHelpUri(string id) => RuleHelpLocation.BaseUri + id + ".md";

    /// <summary>The index of all rule pages, from the same base as <see cref="GetHelpUri"/>.</summary>
    public static string RulesIndexUri => RuleHelpLocation.BaseUri + "README.md";
}
