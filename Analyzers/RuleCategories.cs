namespace CowGuard.Analyzers;

/// <summary>The diagnostic categories of CowGuard rules (the Category column of AnalyzerReleases).</summary>
internal static class RuleCategories
{
    /// <summary>Rules about page references and copy-on-write.</summary>
    public const string Cow = "CowGuard.Cow";

    /// <summary>Rules about [WrongSideCowOk] justifications.</summary>
    public const string Justification = "CowGuard.Justification";

    /// <summary>Rules about releasing page references and pins.</summary>
    public const string Lifetime = "CowGuard.Lifetime";
}
