using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// The scenario files a user names: a file as given, a folder as every <c>*.cow</c> file under it in a stable order
/// (by path), leaving out backing libraries (files of only backing, group and include lines, read through 'include').
/// </summary>
internal static class ScenarioFiles
{
    public static IReadOnlyList<string> Under(string directory) =>
        Directory.EnumerateFiles(directory, "*.cow", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Where(f => !IsLibrary(f))
            .ToList();

    /// <summary>Files stay as given (a library named on its own is an error when it loads); folders expand.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths) =>
        paths.SelectMany(p => Directory.Exists(p) ? Under(p) : [p]).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A file that parses to only backings, groups and includes. A file that does not parse is not a library: loading it reports why.</summary>
    public static bool IsLibrary(string path)
    {
        var diagnostics = new DiagnosticBag();
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var document = DocumentParser.Parse(path, text, diagnostics);
        return !diagnostics.HasErrors && document.IsLibrary && (document.Backings.Count > 0 || document.Groups.Count > 0 || document.Includes.Count > 0);
    }
}
