using System.Runtime.CompilerServices;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// The kept counterexamples in Scenarios/Catalogue/regressions/. They are compared with the freshly shrunk
/// sequences; COWGUARD_UPDATE_REGRESSIONS=1 rewrites them in the source tree instead.
/// </summary>
internal static class RegressionFiles
{
    public const string Folder = "regressions";

    public static bool Update => Environment.GetEnvironmentVariable("COWGUARD_UPDATE_REGRESSIONS") == "1";

    /// <summary>The copy next to the test assembly (the scenario project copies its catalogue), else the source tree's.</summary>
    public static string? Read(string fileName)
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Catalogue", Folder, fileName);
        var source = SourcePath(fileName);
        return File.Exists(copied) ? File.ReadAllText(copied)
            : File.Exists(source) ? File.ReadAllText(source)
            : null;
    }

    public static void Write(string fileName, string text) => File.WriteAllText(SourcePath(fileName), text);

    private static string SourcePath(string fileName, [CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "Scenarios", "Catalogue", Folder, fileName));
}
