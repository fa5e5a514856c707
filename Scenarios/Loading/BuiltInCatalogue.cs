namespace CowGuard.Scenarios.Loading;

/// <summary>
/// The scenario files shipped next to the assembly (Scenarios/Catalogue, copied to the output directory): the one
/// source of truth for the cow.c reproducers and the bug catalogue. Its backing libraries live under <c>backings/</c>.
/// </summary>
internal static class BuiltInCatalogue
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Catalogue");

    /// <summary>Every scenario file, in a stable order (by path).</summary>
    public static IReadOnlyList<string> ScenarioFiles() => Loading.ScenarioFiles.Under(Root);

    public static IReadOnlyList<ScenarioInstance> LoadAll() => ScenarioFiles().SelectMany(ScenarioLoader.LoadFile).ToList();

    public static string RelativeName(string file) => Path.GetRelativePath(Root, file);
}
