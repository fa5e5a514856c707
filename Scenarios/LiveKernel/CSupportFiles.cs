using System.Reflection;
using System.Runtime.CompilerServices;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The C support headers (Scenarios/LiveKernel/c/*.h) a generated program includes: embedded in the assembly when
/// the project embeds them, otherwise read from the source folder the assembly was built from (tests, CI).
/// </summary>
internal static class CSupportFiles
{
    private const string ResourcePrefix = "CowGuard.LiveKernel.c.";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Files = new(Load);

    /// <summary>File name → contents; throws if the headers cannot be found.</summary>
    public static IReadOnlyDictionary<string, string> All => Files.Value;

    private static IReadOnlyDictionary<string, string> Load()
    {
        var assembly = typeof(CSupportFiles).Assembly;
        var embedded = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).ToList();
        if (embedded.Count > 0)
        {
            return embedded.ToDictionary(n => n[ResourcePrefix.Length..], n => ReadResource(assembly, n), StringComparer.Ordinal);
        }

        var candidate = Path.Combine(SourceDirectory(), "c");
        if (File.Exists(Path.Combine(candidate, "cowguard_live.h")))
        {
            return Directory.EnumerateFiles(candidate, "*.h").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        }

        throw new FileNotFoundException($"the live-kernel C headers (cowguard_live.h) are neither embedded in {assembly.GetName().Name} nor present in {candidate}");
    }

    /// <summary>The folder this file was compiled from (a build from source, as in the tests and CI).</summary>
    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile) ?? ".";

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
