using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>What the `CowGuard` package carries, and that packing is deterministic (issues 5 and 17).</summary>
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
        string[] expected = ["analyzers/dotnet/cs/CowGuard.Analyzers.dll", "analyzers/dotnet/cs/CowGuard.CodeFixes.dll", "lib/net10.0/CowGuard.VmModel.dll"];
        string[] readyToRun = [ReadyToRunAnalyzers, ReadyToRunFixers];
        Assert.Equal(ReadyToRunHost.IsLinuxX64 ? [.. expected, .. readyToRun] : expected, assemblies);

        var nuspec = ReadNuspec(zip);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
    }

    /// <summary>
    /// Packed on linux-x64, the package carries a ReadyToRun copy of the analyzers for compilers running on .NET there
    /// (issue 18): the same assembly (its IL and metadata identity) with native code beside it, and the fixers' IL
    /// unchanged in the same folder, so a host loads both from one place.
    /// </summary>
    [SkippableFact]
    public void Packed_on_linux_x64_the_package_carries_a_ReadyToRun_copy_of_the_same_analyzers()
    {
        Skip.IfNot(ReadyToRunHost.IsLinuxX64, "the ReadyToRun copy is only made where crossgen2 for linux-x64 runs");
        using var zip = ZipFile.OpenRead(package.PackagePath);

        var il = ReadEntry(zip, "analyzers/dotnet/cs/CowGuard.Analyzers.dll");
        var precompiled = ReadEntry(zip, ReadyToRunAnalyzers);
        Assert.False(HasNativeCode(il), "the IL copy must stay loadable by every host");
        Assert.True(HasNativeCode(precompiled), $"{ReadyToRunAnalyzers} has no ReadyToRun header");
        Assert.Equal(ModuleVersionId(il), ModuleVersionId(precompiled));
        Assert.Equal(ReadEntry(zip, "analyzers/dotnet/cs/CowGuard.CodeFixes.dll"), ReadEntry(zip, ReadyToRunFixers));
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
    public void Package_links_derive_from_the_builds_one_repository_url()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var metadata = ReadNuspec(zip).Descendants().First(e => e.Name.LocalName == "metadata");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        var text = readme.ReadToEnd();

        Assert.Equal(RepositoryLayout.RepositoryUrl, metadata.Elements().Single(e => e.Name.LocalName == "projectUrl").Value);
        Assert.Equal(RepositoryLayout.RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Contains($"{RepositoryLayout.RepositoryUrl}/tree/{RepositoryLayout.DocsRevision}/docs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same commit packed in another folder (a fresh clone, its own artifacts path) gives byte-identical .nupkg
    /// files: no absolute path, pack time or random name inside. When the working tree has uncommitted changes the
    /// fixture's pack is not of a commit, so two clones of HEAD are compared instead.
    /// </summary>
    [SkippableFact]
    public void Packing_the_same_commit_in_another_folder_gives_byte_identical_packages()
    {
        var status = ProcessRunner.TryRun("git", RepositoryLayout.Root, "status", "--porcelain");
        Skip.If(status is null || status.ExitCode != 0, $"no git checkout to clone here: {status?.Output ?? "git is not installed"}");
        var commit = ProcessRunner.TryRun("git", RepositoryLayout.Root, "rev-parse", "HEAD")!.StandardOutput.Trim();
        using var folder = new TemporaryDirectory("cowguard-repack");

        var first = status!.StandardOutput.Length == 0
            ? Path.GetDirectoryName(package.PackagePath)!
            : PackClone(folder.Path, "first", commit);
        var second = PackClone(folder.Path, "second", commit);

        foreach (var name in new[] { Path.GetFileName(package.PackagePath), Path.GetFileName(package.ToolPackagePath) })
        {
            var a = Path.Combine(first, name);
            var b = Path.Combine(second, name);
            Assert.True(
                File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)),
                $"{name} differs between {a} and {b}; entries that differ: {string.Join(", ", EntryHashes(a).Except(EntryHashes(b)))}");
        }
    }

    private static string PackClone(string root, string name, string commit)
    {
        var clone = Path.Combine(root, name, "src");
        var cloned = ProcessRunner.TryRun("git", root, "clone", "--quiet", "--no-checkout", RepositoryLayout.Root, clone);
        Assert.True(cloned?.ExitCode == 0, cloned?.ToString());
        var checkout = ProcessRunner.TryRun("git", clone, "checkout", "--quiet", "--detach", commit);
        Assert.True(checkout?.ExitCode == 0, checkout?.ToString());
        var feed = Path.Combine(root, name, "feed");
        var pack = PackedPackage.Pack(clone, feed, Path.Combine(root, name, "artifacts"));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        return feed;
    }

    private const string ReadyToRunAnalyzers = ReadyToRunHost.Folder + "CowGuard.Analyzers.dll";
    private const string ReadyToRunFixers = ReadyToRunHost.Folder + "CowGuard.CodeFixes.dll";

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)?.Open() ?? throw new Xunit.Sdk.XunitException($"the package has no {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A ReadyToRun image records its native code in the CLI header's managed native header directory.</summary>
    private static bool HasNativeCode(byte[] image)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image));
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static Guid ModuleVersionId(byte[] image)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(image));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    private static XDocument ReadNuspec(ZipArchive zip)
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    /// <summary>Every entry's name and content hash, to name what differs when two packs do.</summary>
    private static IReadOnlyList<string> EntryHashes(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries
            .Select(e =>
            {
                using var stream = e.Open();
                return $"{e.FullName} {e.LastWriteTime:O} {Convert.ToHexString(SHA256.HashData(stream))}";
            })
            .Order()
            .ToList();
    }
}
