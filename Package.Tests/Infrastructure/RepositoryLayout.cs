namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>Finds the repository the tests were built from (the folder holding CowGuard.sln).</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string PackageProject => Path.Combine(Root, "Package", "CowGuard.Package.csproj");

    public static string SampleProjectDirectory => Path.Combine(Root, "samples", "DmaDriver");

    /// <summary>The product version, read from the one place it is defined.</summary>
    public static string Version { get; } = ReadVersion();

    private static string FindRoot()
    {
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
