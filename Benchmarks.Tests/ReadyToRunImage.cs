using System.Globalization;
using System.Reflection.PortableExecutable;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.Tests;

/// <summary>The analyzer project's ReadyToRun copy, built once per test run into a temporary artifacts folder, and
/// where a named method's code sits in it, read from crossgen2's map independently of the code under test.</summary>
internal static class ReadyToRunImage
{
    private static readonly Lazy<string> Image = new(BuildOnce);

    public static string Build() => Image.Value;

    /// <summary>The RVA of the first method whose map name contains <paramref name="nameFragment"/>, and the file
    /// offset perf would print for it.</summary>
    public static (int Rva, long FileOffset) CodeOf(string image, string nameFragment)
    {
        var map = Directory.EnumerateFiles(Path.GetDirectoryName(image)!, "CowGuard.Analyzers.ni.*.map").Single();
        var line = File.ReadLines(map).First(l => l.Contains(nameFragment, StringComparison.Ordinal));
        var rva = int.Parse(line[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        using var reader = new PEReader(File.OpenRead(image));
        var section = reader.PEHeaders.SectionHeaders.Single(s => rva >= s.VirtualAddress && rva < s.VirtualAddress + s.VirtualSize);
        return (rva, rva - section.VirtualAddress + section.PointerToRawData);
    }

    private static string BuildOnce()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CowGuard.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no CowGuard.sln above the test binaries");
        }

        // Beside the test binaries, so the build output goes wherever they go (never into the repository's own folders).
        var artifacts = Path.Combine(AppContext.BaseDirectory, "readytorun-artifacts");
        ProcessRunner.Run(
            "dotnet",
            ["msbuild", Path.Combine(root, "Analyzers", "CowGuard.Analyzers.csproj"), "-restore", "-t:CowGuardReadyToRun", "-p:Configuration=Release",
             "-p:ArtifactsPath=" + artifacts, "-p:UseArtifactsOutput=true", "-v:q", "-nologo"],
            TimeSpan.FromMinutes(10));
        var image = Path.Combine(artifacts, "obj", "CowGuard.Analyzers", "release", "readytorun", "linux-x64", "CowGuard.Analyzers.dll");
        return File.Exists(image) ? image : throw new InvalidOperationException($"the build made no {image}");
    }
}
