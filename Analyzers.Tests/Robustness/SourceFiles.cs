using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace CowGuard.Analyzers.Tests.Robustness;

/// <summary>Where real C# source comes from: this repository's projects and the packages in the NuGet caches.</summary>
internal static class SourceFiles
{
    public static bool LongRuns => Environment.GetEnvironmentVariable("COWGUARD_LONG_RUNS") == "1";

    /// <summary>The repository root, from this file's compile-time path (the test runs from an artifacts folder).</summary>
    public static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    /// <summary>Every .cs file of a project folder, without build output.</summary>
    public static IReadOnlyList<string> Project(string folder) =>
        Directory.Exists(Path.Combine(RepositoryRoot(), folder))
            ? Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// C# sources shipped in packages on this machine: loose .cs files in the NuGet caches (content files,
    /// source-only packages) and .cs entries inside the .nupkg files there and in the SDK's template packages
    /// (dotnet/templates), in a stable order, as (name, text).
    /// </summary>
    public static IReadOnlyList<(string Name, string Text)> Packages()
    {
        var folders = new[]
            {
                Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                "/opt/nuget/packages",
                Path.Combine(DotnetRoot(), "templates"),
            }
            .Where(d => d is not null && Directory.Exists(d))
            .Select(d => Path.GetFullPath(d!))
            .Distinct()
            .ToList();
        var loose = folders.SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Select(f => (Name: f, Text: File.ReadAllText(f)));
        var packed = folders.SelectMany(d => Directory.EnumerateFiles(d, "*.nupkg", SearchOption.AllDirectories)).SelectMany(CsEntries);
        return loose.Concat(packed).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(string Name, string Text)> CsEntries(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        return archive.Entries.Where(e => e.FullName.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            .Select(e =>
            {
                using var reader = new StreamReader(e.Open());
                return (Name: $"{package}!{e.FullName}", Text: reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>dotnet/shared/Microsoft.NETCore.App/VERSION/System.Private.CoreLib.dll → dotnet/.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
}
