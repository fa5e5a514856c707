using System.Text.RegularExpressions;

namespace CowGuard.Cli.Explain;

/// <summary>
/// The rule pages (docs/rules/CGxxxx.md) shipped inside the tool as embedded resources, so <c>cowguard explain</c>
/// works offline and shows the page of the very version the user runs.
/// </summary>
internal static partial class RulePages
{
    private const string Prefix = "CowGuard.Rules.";

    /// <summary>Every rule ID with a page, in order.</summary>
    public static IReadOnlyList<string> Ids { get; } = typeof(RulePages).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".md".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The ID as the pages spell it (CG0001 for cg0001), or null when there is no such page.</summary>
    public static string? Normalize(string id) =>
        Ids.FirstOrDefault(known => string.Equals(known, id.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Read(string id)
    {
        using var stream = typeof(RulePages).Assembly.GetManifestResourceStream(Prefix + id + ".md")
            ?? throw new InvalidOperationException($"the page of {id} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The page's title: its first heading without the "CGxxxx - " prefix.</summary>
    public static string Title(string id)
    {
        var heading = Read(id).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal)) ?? id;
        return TitlePrefix().Replace(heading, "");
    }

    [GeneratedRegex(@"^#\s+CG\d{4}\s*[-–—:]\s*")]
    private static partial Regex TitlePrefix();
}
