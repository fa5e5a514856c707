using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CowGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CowGuard.CodeFixes;

/// <summary>CG0003 fix: remove a [WrongSideCowOk] that covers nothing (and its attribute list when it was alone).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CG0003RemoveStaleAttributeCodeFix))]
[Shared]
public sealed class CG0003RemoveStaleAttributeCodeFix : CodeFixProvider
{
    private const string Title = "Remove the stale [WrongSideCowOk]";
    private const string EquivalenceKey = "CowGuard.RemoveStaleWrongSideCowOk";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.StaleJustification);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => RemoveAsync(context.Document, diagnostic, ct), EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> RemoveAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var attribute = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        if (root is null || attribute?.Parent is not AttributeListSyntax { Parent: { } declaration } list)
        {
            return document;
        }

        if (list.Attributes.Count > 1)
        {
            return document.WithSyntaxRoot(root.RemoveNode(attribute, SyntaxRemoveOptions.KeepNoTrivia)!);
        }

        // Drop the list with its own line: the declaration takes over the list's leading trivia (indentation, comments).
        var withoutList = declaration.RemoveNode(list, SyntaxRemoveOptions.KeepNoTrivia)!;
        var isFirst = declaration.GetFirstToken() == list.GetFirstToken();
        var replacement = isFirst ? withoutList.WithLeadingTrivia(list.GetLeadingTrivia()) : withoutList;
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, replacement));
    }
}
