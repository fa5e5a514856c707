namespace CowGuard.Benchmarks.Corpus;

/// <summary>One generated source file, with the path it gets when the corpus is written out as a project.</summary>
internal sealed record SourceFile(string RelativePath, string Text);

/// <summary>
/// A generated corpus and what it must produce: its exact line count, how many page-reference call sites it has, and
/// how many of them are planted defects that CG0001 must report (no other CowGuard diagnostic is expected).
/// </summary>
internal sealed record GeneratedCorpus(
    CorpusProfile Profile,
    IReadOnlyList<SourceFile> Files,
    int Lines,
    int PageReferenceSites,
    int ExpectedCg0001,
    bool UsesGupApi)
{
    public string Label => $"{Profile.Name}/{Lines / 1000}k";
}
