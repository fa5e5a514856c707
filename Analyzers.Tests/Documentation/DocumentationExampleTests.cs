using System.Collections.Immutable;
using CowGuard.Analyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CowGuard.Analyzers.Tests.Documentation;

/// <summary>
/// Every C# block of README.md, docs/getting-started.md and docs/rules/*.md compiles against the real VmModel, and the
/// CowGuard analyzers report on it exactly what its comments claim (<c>// CG0001: ...</c> on the line that shows it;
/// no claim, no diagnostic). A block compiles as one file of a project with the SDK's implicit usings plus
/// <c>global using CowGuard.VmModel;</c>; a block with top-level statements compiles as a program. Every rule runs
/// (CG0003 included, which is off by default), except the CG0100 audit record, which reports every attribute.
/// </summary>
public sealed class DocumentationExampleTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading.Tasks;
        global using CowGuard.VmModel;
        """;

    public static TheoryData<string> Examples => [.. DocumentationExamples.All().Select(e => e.Id)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_compiles_and_shows_the_diagnostics_its_comments_claim(string id)
    {
        var example = DocumentationExamples.All().Single(e => e.Id == id);
        var tree = CSharpSyntaxTree.ParseText(example.Code, AnalyzerRun.ParseOptions, path: example.File);
        var program = tree.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var options = AnalyzerRun.CompilationOptions
            .WithOutputKind(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithSpecificDiagnosticOptions(AnalyzerRun.CompilationOptions.SpecificDiagnosticOptions.SetItem(RuleIdentifiers.JustificationAudit, ReportDiagnostic.Suppress));
        var compilation = CSharpCompilation.Create(
            "Example", [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, AnalyzerRun.ParseOptions, path: "ImplicitUsings.cs")], AnalyzerRun.References, options);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, $"{example.Id} does not compile:\n{string.Join("\n", errors)}\n\n{example.Code}");

        var result = await AnalyzerRun.AnalyzeAsync(compilation);
        Assert.Empty(result.Failures);
        var reported = result.Diagnostics
            .Where(d => d.Id.StartsWith("CG", StringComparison.Ordinal) && d.Location.SourceTree == tree)
            .Select(d => (d.Location.GetLineSpan().StartLinePosition.Line, d.Id))
            .Order()
            .ToImmutableArray();
        var claimed = example.Claims().Order().ToImmutableArray();
        Assert.True(
            claimed.SequenceEqual(reported),
            $"{example.Id}: the comments claim [{Describe(claimed, example)}] but the analyzers report [{Describe(reported, example)}]\n\n{example.Code}");
    }

    [Fact]
    public void Every_documentation_file_with_code_has_its_examples_found() =>
        Assert.Contains(DocumentationExamples.All(), e => e.File == "README.md");

    private static string Describe(IEnumerable<(int Line, string Id)> diagnostics, DocumentationExample example) =>
        string.Join(", ", diagnostics.Select(d => $"{d.Id} at {example.File}:{example.FirstLine + d.Line}"));
}
