namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// What a synthetic corpus contains besides ordinary code. The density is in page-reference call sites per thousand
/// lines; every <see cref="DefectEvery"/>-th site is a planted wrong-side reference that CG0001 must report, so the
/// harness can assert the exact diagnostic count (a perf run that silently stops analyzing fails).
/// </summary>
internal sealed record CorpusProfile(string Name, bool ReferencesVmModel, int SitesPerThousandLines, int DefectEvery)
{
    /// <summary>Driver-style code: one page-reference site every ~40 lines, through every shape the analyzer handles.</summary>
    public static CorpusProfile PageReferenceDense { get; } = new("dense", ReferencesVmModel: true, SitesPerThousandLines: 25, DefectEvery: 8);

    /// <summary>Ordinary code in a project that does not reference VmModel: the analyzer must bail out at compilation start.</summary>
    public static CorpusProfile Plain { get; } = new("plain", ReferencesVmModel: false, SitesPerThousandLines: 0, DefectEvery: 0);

    /// <summary>Ordinary code in a project that references VmModel but never calls it: every invocation is inspected and rejected.</summary>
    public static CorpusProfile PlainReferencingVmModel { get; } = new("plain+ref", ReferencesVmModel: true, SitesPerThousandLines: 0, DefectEvery: 0);

    public static IReadOnlyList<CorpusProfile> All { get; } = [PageReferenceDense, Plain, PlainReferencingVmModel];

    public static CorpusProfile Parse(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown corpus profile '{name}' (known: {string.Join(", ", All.Select(p => p.Name))})", nameof(name));
}
