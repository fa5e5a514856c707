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

    /// <summary>The examples the theory compiles are all the C# there is: every fenced block of the covered files names
    /// its language (an unlabelled block could be C# that nothing compiles), every C# one is found, and README.md,
    /// getting-started.md and every defect rule's page (CG000x.md; CG0100 is an audit record without code) have at least one.</summary>
    [Fact]
    public void Every_csharp_block_of_the_covered_files_is_an_example()
    {
        var examples = DocumentationExamples.All();
        var problems = new List<string>();
        foreach (var file in DocumentationExamples.Files())
        {
            var blocks = DocumentationExamples.FencedBlocks(file);
            problems.AddRange(blocks.Where(b => b.Language.Length == 0).Select(b => $"{file}:{b.Line}: a fenced block without a language"));
            var csharp = blocks.Count(b => DocumentationExamples.IsCSharp(b.Language));
            var found = examples.Count(e => e.File == file);
            if (found != csharp)
            {
                problems.Add($"{file}: {csharp} C# blocks, {found} examples found");
            }

            var mustHaveCode = file is "README.md" or "docs/getting-started.md" || Path.GetFileName(file).StartsWith("CG000", StringComparison.Ordinal);
            if (mustHaveCode && csharp == 0)
            {
                problems.Add($"{file}: no C# example");
            }
        }

        Assert.Empty(problems);
        Assert.Contains(DocumentationExamples.Files(), f => f == "docs/rules/soundness.md");
    }

    private static string Describe(IEnumerable<(int Line, string Id)> diagnostics, DocumentationExample example) =>
        string.Join(", ", diagnostics.Select(d => $"{d.Id} at {example.File}:{example.FirstLine + d.Line}"));
}
