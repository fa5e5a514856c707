using System.Text.RegularExpressions;
using CowGuard.Analyzers.Tests.Robustness;

namespace CowGuard.Analyzers.Tests.Documentation;

/// <summary>One fenced C# block of a documentation file.</summary>
public sealed record DocumentationExample(string File, int FirstLine, string Code)
{
    /// <summary>"docs/rules/CG0001.md:57": the file and the line of the block's first code line.</summary>
    public string Id => $"{File}:{FirstLine}";

    /// <summary>The diagnostics the block claims, as (line within the block, 0-based; rule id): a line whose comment
    /// starts with rule ids (<c>// CG0001: why</c>, <c>// CG0006 and CG0001</c>) claims exactly those on that line.</summary>
    public IReadOnlyList<(int Line, string Id)> Claims()
    {
        var claims = new List<(int, string)>();
        var lines = Code.Split('\n');
        for (var line = 0; line < lines.Length; line++)
        {
            var comment = lines[line].IndexOf("//", StringComparison.Ordinal);
            if (comment < 0)
            {
                continue;
            }

            var match = DocumentationExamples.ClaimPattern().Match(lines[line][(comment + 2)..]);
            if (match.Success)
            {
                claims.AddRange(DocumentationExamples.RuleId().Matches(match.Value).Select(id => (line, id.Value)));
            }
        }

        return claims;
    }
}

/// <summary>The C# blocks of README.md, docs/getting-started.md and docs/rules/*.md.</summary>
public static partial class DocumentationExamples
{
    public static IReadOnlyList<DocumentationExample> All() => Files().SelectMany(InFile).ToList();

    /// <summary>The covered files, relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> Files()
    {
        var root = SourceFiles.RepositoryRoot();
        return new[] { "README.md", "docs/getting-started.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs", "rules"), "*.md")
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>Every fenced block of <paramref name="file"/>: its language (empty when unlabelled) and the line of its
    /// opening fence (1-based).</summary>
    public static IReadOnlyList<(string Language, int Line)> FencedBlocks(string file)
    {
        var blocks = new List<(string, int)>();
        var lines = File.ReadAllLines(Path.Combine(SourceFiles.RepositoryRoot(), file));
        for (var i = 0; i < lines.Length; i++)
        {
            var opening = lines[i].TrimStart();
            if (!opening.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            blocks.Add((opening[3..].Trim(), i + 1));
            i++;
            while (i < lines.Length && lines[i].Trim() != "```")
            {
                i++;
            }
        }

        return blocks;
    }

    public static bool IsCSharp(string language) =>
        language.Equals("csharp", StringComparison.OrdinalIgnoreCase) || language.Equals("cs", StringComparison.OrdinalIgnoreCase) || language.Equals("c#", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<DocumentationExample> InFile(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(SourceFiles.RepositoryRoot(), file));
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            var indent = fence.Groups[1].Value.Length;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            var code = string.Join("\n", lines[start..end].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart()));
            yield return new DocumentationExample(file, start + 1, code);
            i = end;
        }
    }

    [GeneratedRegex(@"^(\s*)```(?:csharp|cs|c#)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Fence();

    /// <summary>A comment that starts with rule ids: "CG0001", "CG0001: ...", "CG0006 and CG0001".</summary>
    [GeneratedRegex(@"^\s*CG\d{4}(?:\s*(?:,|and|\+)\s*CG\d{4})*")]
    internal static partial Regex ClaimPattern();

    [GeneratedRegex(@"CG\d{4}")]
    internal static partial Regex RuleId();
}
