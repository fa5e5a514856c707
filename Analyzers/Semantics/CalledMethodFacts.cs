namespace CowGuard.Analyzers.Semantics;

/// <summary>What the rules ask about a called method, read from its annotations once per method.</summary>
internal sealed class CalledMethodFacts
{
    public CalledMethodFacts(PageReferenceApi? api, ReferenceKind? releasedKind)
    {
        Api = api;
        ReleasedKind = releasedKind;
    }

    /// <summary>The answer for nearly every method: no annotation of either kind.</summary>
    public static CalledMethodFacts None { get; } = new(null, null);

    /// <summary>The page-reference API description, or null when the method takes no page references.</summary>
    public PageReferenceApi? Api { get; }

    /// <summary>The kind of [ReleasesPageReferences(kind)] on the method itself, or null.</summary>
    public ReferenceKind? ReleasedKind { get; }
}
