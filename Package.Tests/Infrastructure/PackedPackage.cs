using Xunit;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// Packs CowGuard once per test run into a temporary local feed, building from source into a private artifacts
/// folder so it never touches the outer build's outputs.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly TemporaryDirectory _root = new("cowguard-pack");

    public PackedPackage()
    {
        FeedDirectory = System.IO.Path.Combine(_root.Path, "feed");
        var pack = ProcessRunner.Dotnet(
            RepositoryLayout.Root,
            "pack", RepositoryLayout.PackageProject,
            "-o", FeedDirectory,
            "--artifacts-path", System.IO.Path.Combine(_root.Path, "artifacts"),
            "-p:ContinuousIntegrationBuild=true");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"Packing CowGuard failed.\n{pack}");
        }

        PackagePath = System.IO.Path.Combine(FeedDirectory, $"CowGuard.{RepositoryLayout.Version}.nupkg");
        if (!File.Exists(PackagePath))
        {
            throw new InvalidOperationException($"Pack succeeded but {PackagePath} is missing.\n{pack}");
        }
    }

    /// <summary>The folder used as a NuGet source by consumers.</summary>
    public string FeedDirectory { get; }

    /// <summary>The .nupkg file.</summary>
    public string PackagePath { get; }

    public void Dispose() => _root.Dispose();
}

/// <summary>All end-to-end tests share one pack and run one at a time (each consumer build uses every core).</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed CowGuard package";
}
