namespace CowGuard.Scenarios.Loading;

/// <summary>
/// The scenario files shipped next to the assembly (Scenarios/Catalogue, copied to the output directory): the one
/// source of truth for the cow.c reproducers and the bug catalogue. Files under <c>backings/</c> are libraries.
/// </summary>
internal static class BuiltInCatalogue
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Catalogue");

    /// <summary>Every scenario file, in a stable order (by relative path).</summary>
    public static IReadOnlyList<string> ScenarioFiles() =>
        Directory.EnumerateFiles(Root, "*.cow", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Root, f).StartsWith("backings", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<ScenarioInstance> LoadAll() => ScenarioFiles().SelectMany(ScenarioLoader.LoadFile).ToList();

    public static string RelativeName(string file) => Path.GetRelativePath(Root, file);
}
