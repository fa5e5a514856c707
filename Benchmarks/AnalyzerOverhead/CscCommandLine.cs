namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>What compiler-cpu adds to the command line MSBuild computed, in both compiles of a pair.</summary>
/// <param name="ReportAnalyzer">Adds /reportanalyzer (its per-callback timing is itself a cost).</param>
/// <param name="Parallel">False adds /parallel-: one compiler thread.</param>
/// <param name="BaselineAnalyzer">An analyzer DLL loaded in both compiles, or null.</param>
/// <param name="Reference">An assembly to reference in both compiles (VmModel, for a real project that does not
/// reference it: the case of a team that adds the package), or null.</param>
/// <param name="OutputDirectory">Where the compiles write their assembly, reference assembly, PDB and XML
/// documentation instead of the project's obj folder (so a real project's build output is left alone), or null.</param>
internal sealed record CscAdditions(bool ReportAnalyzer, bool Parallel, string? BaselineAnalyzer, string? Reference = null, string? OutputDirectory = null);

/// <summary>
/// The two compiler command lines of a compiler-cpu pair, composed from the Csc task's arguments: without CowGuard,
/// and the same plus CowGuard's analyzer — so the pair differs in that one argument.
/// </summary>
internal static class CscCommandLine
{
    /// <summary>The switches of the files a compile writes (the project's obj paths in MSBuild's command line).</summary>
    private static readonly string[] OutputSwitches = ["/out:", "/refout:", "/pdb:", "/doc:"];

    /// <summary>The subfolder of <see cref="CscAdditions.OutputDirectory"/> that receives the reference assembly.</summary>
    public const string ReferenceAssemblyFolder = "ref";

    /// <summary>The arguments of the compile without CowGuard.</summary>
    /// <param name="msbuildArguments">The Csc task's arguments, one per element.</param>
    public static IReadOnlyList<string> Without(IEnumerable<string> msbuildArguments, CscAdditions additions)
    {
        var arguments = msbuildArguments
            // /noconfig only counts on the command line (csc ignores it in a response file, with a warning).
            .Where(a => a.Length > 0 && a != "/noconfig")
            .Select(a => additions.OutputDirectory is null ? a : Redirected(a, additions.OutputDirectory))
            .ToList();
        if (additions.Reference is { } reference && !arguments.Any(a => References(a, reference)))
        {
            arguments.Add("/reference:" + reference);
        }

        return
        [
            .. arguments,
            .. additions.ReportAnalyzer ? ["/reportanalyzer"] : Array.Empty<string>(),
            .. additions.Parallel ? Array.Empty<string>() : ["/parallel-"],
            .. additions.BaselineAnalyzer is null ? Array.Empty<string>() : ["/analyzer:" + additions.BaselineAnalyzer],
        ];
    }

    /// <summary>The arguments of the compile with CowGuard: those without it, plus its analyzer.</summary>
    public static IReadOnlyList<string> With(IReadOnlyList<string> without, string cowGuardAnalyzer) => [.. without, "/analyzer:" + cowGuardAnalyzer];

    /// <summary>The C# source files of a command line (the arguments that are not switches), as full paths.</summary>
    public static IReadOnlyList<string> SourceFiles(IEnumerable<string> arguments, string directory) =>
        arguments
            .Where(a => !a.StartsWith('/') && !a.StartsWith('-') && a.Trim('"').EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            .Select(a => Path.GetFullPath(a.Trim('"'), directory))
            .ToList();

    /// <summary>An output switch with its file moved into <paramref name="directory"/>, the reference assembly into
    /// its <see cref="ReferenceAssemblyFolder"/> (it has the assembly's file name); any other argument unchanged.</summary>
    private static string Redirected(string argument, string directory)
    {
        var output = OutputSwitches.FirstOrDefault(s => argument.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (output is null)
        {
            return argument;
        }

        var folder = output.Equals("/refout:", StringComparison.OrdinalIgnoreCase) ? Path.Combine(directory, ReferenceAssemblyFolder) : directory;
        return output + Path.Combine(folder, Path.GetFileName(argument[output.Length..].Trim('"')));
    }

    /// <summary>Whether the argument already references an assembly of the same file name (/reference: or /r:,
    /// possibly with aliases or several paths).</summary>
    private static bool References(string argument, string assembly)
    {
        var colon = argument.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || argument[..colon] is not ("/reference" or "/r" or "-reference" or "-r"))
        {
            return false;
        }

        var name = Path.GetFileName(assembly);
        return argument[(colon + 1)..].Split([',', ';']).Any(path => Path.GetFileName(path.Split('=')[^1].Trim('"')).Equals(name, StringComparison.OrdinalIgnoreCase));
    }
}
