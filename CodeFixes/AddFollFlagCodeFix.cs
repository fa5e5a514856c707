using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CowGuard.Analyzers;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace CowGuard.CodeFixes;

/// <summary>
/// Shared body of the "add a FollFlags bit to the call" fixes of CG0001: ORs the flag into the written flags argument
/// (replacing it when it is the constant 0), or adds a named flags argument when the call relies on the default.
/// The analyzer says which of the two applies in Diagnostic.Properties; no fix is offered when it says neither.
/// </summary>
public abstract class AddFollFlagCodeFix : CodeFixProvider
{
    private const string FollFlagsMetadataName = "CowGuard.VmModel.FollFlags";

    /// <summary>The FollFlags member this fix adds ("BreakCow" or "Write").</summary>
    protected abstract string FlagName { get; }

    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.PageReferenceWithoutBreakCow);

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    private string Title => $"Add FollFlags.{FlagName}";

    private string EquivalenceKey => $"CowGuard.AddFollFlag.{FlagName}";

    public sealed override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(FixData.FlagsFixKey, out var kind) &&
                (kind == FixData.AppendToArgument || kind == FixData.AddNamedArgument) &&
                diagnostic.Properties.TryGetValue(FixData.FlagsParameterKey, out var parameterName) &&
                parameterName is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        cancellationToken => AddFlagAsync(context.Document, diagnostic, kind!, parameterName, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private async Task<Document> AddFlagAsync(
        Document document, Diagnostic diagnostic, string kind, string parameterName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var call = root is null ? null : CallArguments.FindCall(root, diagnostic.Location.SourceSpan);
        var argumentList = call is null ? null : CallArguments.ArgumentList(call);
        var follFlags = model?.Compilation.GetTypeByMetadataName(FollFlagsMetadataName);
        if (root is null || model is null || argumentList is null || follFlags is null)
        {
            return document;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var flag = ((ExpressionSyntax)generator.MemberAccessExpression(generator.TypeExpression(follFlags), FlagName))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        if (kind == FixData.AddNamedArgument)
        {
            var named = SyntaxFactory.Argument(SyntaxFactory.NameColon(parameterName), default, flag);
            return document.WithSyntaxRoot(root.ReplaceNode(argumentList, argumentList.AddArguments(named)));
        }

        var argument = FindFlagsArgument(argumentList, parameterName, model, cancellationToken);
        if (argument is null)
        {
            return document;
        }

        var constant = model.GetConstantValue(argument.Expression, cancellationToken);
        var isZero = constant.HasValue && ConstantBits.TryGetBits(constant.Value, out var bits) && bits == 0;
        var newExpression = isZero
            ? flag
            : ((ExpressionSyntax)generator.BitwiseOrExpression(argument.Expression.WithoutTrivia(), flag))
                .WithAdditionalAnnotations(Simplifier.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(
            argument.Expression, newExpression.WithTriviaFrom(argument.Expression)));
    }

    /// <summary>The argument bound to the flags parameter: named, or positional by the parameter's ordinal.</summary>
    private static ArgumentSyntax? FindFlagsArgument(
        BaseArgumentListSyntax argumentList, string parameterName, SemanticModel model, CancellationToken cancellationToken)
    {
        var named = argumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName);
        if (named is not null)
        {
            return named;
        }

        var method = model.GetSymbolInfo(argumentList.Parent!, cancellationToken).Symbol as IMethodSymbol;
        var parameter = method?.Parameters.FirstOrDefault(p => p.Name == parameterName);
        if (parameter is null)
        {
            return null;
        }

        // A reduced extension method's parameters exclude the receiver, so ordinals line up with the written arguments.
        var ordinal = parameter.Ordinal;
        return ordinal < argumentList.Arguments.Count && argumentList.Arguments[ordinal].NameColon is null
            ? argumentList.Arguments[ordinal]
            : null;
    }
}
