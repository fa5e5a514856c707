using Xunit;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// Packs CowGuard once per test run into a temporary local feed, building from source into a private artifacts
/// folder so it never touches the outer build's outputs. The one pack step gives both packages: the library
/// (CowGuard) and the tool (CowGuard.Tool).
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly TemporaryDirectory _root = new("cowguard-pack");
    private readonly Lazy<InstalledTool> _tool;

    public PackedPackage()
    {
        FeedDirectory = System.IO.Path.Combine(_root.Path, "feed");
        var pack = Pack(RepositoryLayout.Root, FeedDirectory, System.IO.Path.Combine(_root.Path, "artifacts"));
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"Packing CowGuard failed.\n{pack}");
        }

        PackagePath = System.IO.Path.Combine(FeedDirectory, $"CowGuard.{RepositoryLayout.Version}.nupkg");
        ToolPackagePath = System.IO.Path.Combine(FeedDirectory, $"{RepositoryLayout.ToolPackageId}.{RepositoryLayout.Version}.nupkg");
        foreach (var path in new[] { PackagePath, ToolPackagePath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Pack succeeded but {path} is missing.\n{pack}");
            }
        }

        _tool = new Lazy<InstalledTool>(() => new InstalledTool(this));
    }

    /// <summary>The folder used as a NuGet source by consumers.</summary>
    public string FeedDirectory { get; }

    /// <summary>The library package (.nupkg).</summary>
    public string PackagePath { get; }

    /// <summary>The `cowguard` tool package (.nupkg).</summary>
    public string ToolPackagePath { get; }

    /// <summary>The tool installed from the feed with <c>dotnet tool install</c>, as a user installs it (once per run).</summary>
    public InstalledTool Tool => _tool.Value;

    /// <summary>The project's one pack step, as CI and a release run it.</summary>
    internal static CommandResult Pack(string repositoryRoot, string outputDirectory, string artifactsDirectory) =>
        ProcessRunner.Dotnet(
            repositoryRoot,
            "pack", System.IO.Path.Combine(repositoryRoot, "Package", "CowGuard.Package.csproj"),
            "-o", outputDirectory,
            "--artifacts-path", artifactsDirectory,
            "-p:ContinuousIntegrationBuild=true");

    public void Dispose()
    {
        if (_tool.IsValueCreated)
        {
            _tool.Value.Dispose();
        }

        _root.Dispose();
    }
}

/// <summary>All end-to-end tests share one pack and run one at a time (each consumer build uses every core).</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed CowGuard package";
}
