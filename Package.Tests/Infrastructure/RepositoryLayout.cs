using System.Reflection;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// The repository the tests were built from (the folder holding CowGuard.sln): recorded at build time, else found
/// above the test assembly.
/// </summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string PackageProject => Path.Combine(Root, "Package", "CowGuard.Package.csproj");

    public static string SampleProjectDirectory => Path.Combine(Root, "samples", "DmaDriver");

    /// <summary>The product version, read from the one place it is defined.</summary>
    public static string Version { get; } = ReadBuildProperty("CowGuardVersion");

    /// <summary>The package id of the `cowguard` tool, read from the tool's project.</summary>
    public static string ToolPackageId { get; } = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Cli", "CowGuard.Cli.csproj"))
        .Descendants("PackageId").Single().Value.Trim();

    /// <summary>The build's one repository URL (the help links derive from it).</summary>
    public static string RepositoryUrl { get; } = ReadBuildProperty("CowGuardRepositoryUrl");

    /// <summary>The revision of the docs the help links name.</summary>
    public static string DocsRevision { get; } = ReadBuildProperty("CowGuardDocsRevision");

    public static string RulePage(string id) => Path.Combine(Root, "docs", "rules", $"{id}.md");

    private static string FindRoot()
    {
        var recorded = typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "CowGuard.sln")))
        {
            return Path.GetFullPath(recorded);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CowGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CowGuard.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A property's value in Directory.Build.props (its default, where it is conditional).</summary>
    private static string ReadBuildProperty(string name)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants(name).Single().Value.Trim();
    }
}
