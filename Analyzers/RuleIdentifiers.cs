namespace CowGuard.Analyzers;

/// <summary>The one table of CowGuard rule IDs. Each ID has its analyzer under Rules/, its doc at docs/rules/ID.md.</summary>
public static class RuleIdentifiers
{
    /// <summary>A page-reference call that neither breaks COW nor sits under [WrongSideCowOk].</summary>
    public const string PageReferenceWithoutBreakCow = "CG0001";

    /// <summary>The help link of a rule: its page in the repository's docs/rules folder.</summary>
    public static string GetHelpUri(string id) => $"https://github.com/cowguard/cowguard/blob/main/docs/rules/{id}.md";
}
