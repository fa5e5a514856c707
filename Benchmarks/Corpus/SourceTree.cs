namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// A real C# source tree for `compiler-cpu --corpus DIR`: every *.cs file under the root that an SDK-style build of a
/// project there would compile by default — the SDK's Compile glob is **/*.cs minus the output folders (bin, obj) and
/// folders whose name starts with a dot (DefaultItemExcludesInProjectFolder: .git, .vs, ...), case-sensitive as MSBuild's
/// globs are on Linux. Applied at every depth,
/// so a tree of several projects is treated as one project holding all their files. Files a build generates live in
/// obj and are left out with it; generated files checked into the tree (*.g.cs, *.Designer.cs) are compiled, as a
/// real build compiles them.
/// </summary>
internal sealed record SourceTree(string Root, IReadOnlyList<string> Files, int Lines)
{
    public static SourceTree Select(string root)
    {
        var fullRoot = Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot))
        {
            throw new DirectoryNotFoundException($"--corpus: no directory {fullRoot}");
        }

        var files = Directory.EnumerateFiles(fullRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => IsCompiled(Path.GetRelativePath(fullRoot, f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"--corpus: no C# file under {fullRoot} (bin, obj and dot folders are left out)");
        }

        return new SourceTree(fullRoot, files, files.Sum(f => File.ReadLines(f).Count()));
    }

    /// <summary>Whether a build compiles the file at <paramref name="relativePath"/> (relative to the tree's root):
    /// not when any folder on its path is bin, obj or a dot folder.</summary>
    public static bool IsCompiled(string relativePath)
    {
        var folders = relativePath.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries)[..^1];
        return relativePath.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) &&
               !folders.Any(f => f is "bin" or "obj" || f.StartsWith('.'));
    }
}
