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
    public static string Version { get; } = ReadVersion();

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

    private static string ReadVersion()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var version = props.Descendants("CowGuardVersion").Single().Value.Trim();
        return version;
    }
}
