using CowGuard.VmModel;

namespace CowGuard.Scenarios.Verdicts;

/// <summary>
/// How scenario files and the command line name an era: by <see cref="Era.Name"/> (any case), or by the one-letter
/// aliases the first catalogue used (M, F, R, X), defined here and nowhere else. Output always uses the name.
/// </summary>
internal static class EraNames
{
    private static readonly IReadOnlyDictionary<string, Era> Aliases = new Dictionary<string, Era>(StringComparer.Ordinal)
    {
        ["M"] = Era.Mapcount,
        ["F"] = Era.ForcedCowGup,
        ["R"] = Era.Refcount,
        ["X"] = Era.AnonExclusive,
    };

    /// <summary>The era named <paramref name="text"/>, or null.</summary>
    public static Era? Find(string text) =>
        Era.All.FirstOrDefault(e => string.Equals(e.Name, text, StringComparison.OrdinalIgnoreCase))
        ?? Aliases.GetValueOrDefault(text);

    /// <summary>"Mapcount, ForcedCowGup, Refcount, AnonExclusive (or M, F, R, X)", for messages.</summary>
    public static string Spellings =>
        string.Join(", ", Era.All.Select(e => e.Name)) + " (or " + string.Join(", ", Aliases.Keys) + ")";

    /// <summary>"AnonExclusive (5.19+)": how output names an era.</summary>
    public static string Title(Era era) => $"{era.Name} ({era.KernelVersions})";
}
