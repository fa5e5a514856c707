using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CowGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CowGuard.CodeFixes;

/// <summary>
/// Fix for CG0001, CG0004 and CG0005: add [WrongSideCowOk("&lt;Pending&gt;")] on the nearest attributable scope. The
/// placeholder still fails CG0002 on purpose (StyleCop SA1404, ILLink's "&lt;Pending&gt;"): only a developer can write
/// why a wrong-side reference is harmless, so the fix never lets an unexplained justification ship.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CG0001AddWrongSideCowOkCodeFix))]
[Shared]
public sealed class CG0001AddWrongSideCowOkCodeFix : CodeFixProvider
{
    /// <summary>The justification the fix writes: a placeholder CG0002 rejects.</summary>
    public const string PendingJustification = "<Pending>";

    private const string AttributeMetadataName = "CowGuard.VmModel.WrongSideCowOkAttribute";
    private const string Title = "Add [WrongSideCowOk(\"<Pending>\")] (write the justification)";
    private const string EquivalenceKey = "CowGuard.AddWrongSideCowOk";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        RuleIdentifiers.PageReferenceWithoutBreakCow,
        RuleIdentifiers.FlagsNotProvable,
        RuleIdentifiers.PageReferenceApiAsDelegate);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var typeLevel = !diagnostic.Properties.TryGetValue(FixData.TypeLevelJustificationKey, out var value) || value == "true";
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (AttributableScope.Find(node, typeLevel) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => AddAttributeAsync(context.Document, diagnostic, typeLevel, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddAttributeAsync(
        Document document, Diagnostic diagnostic, bool typeLevel, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var attributeType = model?.Compilation.GetTypeByMetadataName(AttributeMetadataName);
        var scope = root is null ? null : AttributableScope.Find(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true), typeLevel);
        if (root is null || attributeType is null || scope is null || HasAttribute(scope, model!, attributeType, cancellationToken))
        {
            return document;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var attribute = (AttributeListSyntax)generator.Attribute(
            generator.TypeExpression(attributeType).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation),
            new[] { generator.AttributeArgument(generator.LiteralExpression(PendingJustification)) });
        attribute = attribute.WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(scope, WithAttribute(scope, attribute, EndOfLine(root))));
    }

    /// <summary>Batch fixing can meet a scope twice (two calls under one method): add the attribute only once.</summary>
    private static bool HasAttribute(SyntaxNode scope, SemanticModel model, INamedTypeSymbol attributeType, CancellationToken cancellationToken)
    {
        foreach (var attribute in scope.DescendantNodes(n => n == scope || n is AttributeListSyntax).OfType<AttributeSyntax>())
        {
            if (SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(attribute, cancellationToken).Type, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The document's own line break, so the fix does not mix CRLF into an LF file or the reverse.</summary>
    private static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        var existing = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return existing.IsKind(SyntaxKind.EndOfLineTrivia) ? existing : SyntaxFactory.ElasticCarriageReturnLineFeed;
    }

    private static SyntaxNode WithAttribute(SyntaxNode scope, AttributeListSyntax attribute, SyntaxTrivia endOfLine) => scope switch
    {
        ParenthesizedLambdaExpressionSyntax lambda => lambda.AddAttributeLists(attribute.WithTrailingTrivia(SyntaxFactory.Space)),
        LocalFunctionStatementSyntax localFunction => OnOwnLine(localFunction, attribute, endOfLine, (n, l) => n.WithAttributeLists(n.AttributeLists.Insert(0, l))),
        AccessorDeclarationSyntax accessor => OnOwnLine(accessor, attribute, endOfLine, (n, l) => n.WithAttributeLists(n.AttributeLists.Insert(0, l))),
        MemberDeclarationSyntax member => OnOwnLine(member, attribute, endOfLine, (n, l) => n.WithAttributeLists(n.AttributeLists.Insert(0, l))),
        _ => scope,
    };

    /// <summary>Puts the attribute on its own line above the declaration, keeping the declaration's indentation and
    /// any comments before it.</summary>
    private static T OnOwnLine<T>(T declaration, AttributeListSyntax attribute, SyntaxTrivia endOfLine, System.Func<T, AttributeListSyntax, T> insert)
        where T : SyntaxNode
    {
        var leading = declaration.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
        var bare = declaration.WithLeadingTrivia(indentation);
        var list = attribute.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine);
        return insert(bare, list);
    }
}
