using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>What the single `CowGuard` package carries, and that packing it is deterministic (issue 5).</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class PackageLayoutTests(PackedPackage package)
{
    [Theory]
    [InlineData("lib/net10.0/CowGuard.VmModel.dll")]
    [InlineData("lib/net10.0/CowGuard.VmModel.xml")]
    [InlineData("analyzers/dotnet/cs/CowGuard.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/CowGuard.CodeFixes.dll")]
    [InlineData("build/CowGuard.props")]
    [InlineData("buildTransitive/CowGuard.props")]
    [InlineData("configuration/Default.globalconfig")]
    [InlineData("configuration/Strict.globalconfig")]
    [InlineData("configuration/None.globalconfig")]
    [InlineData("configuration/Audit.globalconfig")]
    [InlineData("README.md")]
    public void Package_contains(string entry)
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        Assert.Contains(entry, zip.Entries.Select(e => e.FullName.Replace('\\', '/')));
    }

    [Fact]
    public void Package_carries_no_other_assemblies_and_no_dependencies()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var assemblies = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).Where(n => n.EndsWith(".dll", StringComparison.Ordinal)).Order();
        Assert.Equal(
            ["analyzers/dotnet/cs/CowGuard.Analyzers.dll", "analyzers/dotnet/cs/CowGuard.CodeFixes.dll", "lib/net10.0/CowGuard.VmModel.dll"],
            assemblies);

        var nuspec = ReadNuspec(zip);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void Nuspec_has_id_version_license_readme_tags_and_release_notes()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var metadata = ReadNuspec(zip).Descendants().First(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("CowGuard", Value("id"));
        Assert.Equal(RepositoryLayout.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("analyzer", Value("tags"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Value("releaseNotes")));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
    }

    [Fact]
    public void Packing_twice_gives_identical_contents()
    {
        using var second = new TemporaryDirectory("cowguard-repack");
        var pack = ProcessRunner.Dotnet(
            RepositoryLayout.Root,
            "pack", RepositoryLayout.PackageProject, "-o", second.Path,
            "--artifacts-path", Path.Combine(second.Path, "artifacts"),
            "-p:ContinuousIntegrationBuild=true");
        Assert.True(pack.ExitCode == 0, pack.ToString());

        Assert.Equal(EntryHashes(package.PackagePath), EntryHashes(Path.Combine(second.Path, Path.GetFileName(package.PackagePath))));
    }

    private static XDocument ReadNuspec(ZipArchive zip)
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    /// <summary>Every entry's name and content hash (the zip container's own metadata is not compared).</summary>
    private static IReadOnlyList<string> EntryHashes(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries
            .Where(e => !e.FullName.EndsWith(".psmdcp", StringComparison.Ordinal)) // NuGet names this file randomly
            .Select(e =>
            {
                using var stream = e.Open();
                return $"{e.FullName} {Convert.ToHexString(SHA256.HashData(stream))}";
            })
            .Order()
            .ToList();
    }
}
