using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CowGuard.Analyzers.Tests.Robustness;

/// <summary>
/// The C# snippets of the analyzer tests (every string literal in Analyzers.Tests/*.cs that uses a page-reference
/// API or the annotations), with the analyzer-testing markup ({|CG0001:...|}, [|...|]) removed.
/// </summary>
internal static partial class Snippets
{
    public static IReadOnlyList<string> FromAnalyzerTests()
    {
        var folder = Path.Combine(SourceFiles.RepositoryRoot(), "Analyzers.Tests");
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Robustness{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot().DescendantTokens())
            .Where(t => t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || t.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
            .Select(t => Markup().Replace(t.ValueText, string.Empty))
            .Where(text => text.Length > 60 && (text.Contains("Api.", StringComparison.Ordinal) || text.Contains("Gup.", StringComparison.Ordinal) || text.Contains("WrongSideCowOk", StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Microsoft.CodeAnalysis.Testing markup: {|ID:, {|#0:, |}, [|, |].</summary>
    [GeneratedRegex(@"\{\|[#A-Za-z0-9]+:|\|\}|\[\||\|\]")]
    private static partial Regex Markup();
}
