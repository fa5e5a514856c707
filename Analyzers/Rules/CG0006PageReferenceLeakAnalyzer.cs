using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0006: the disposable handle a page-reference call returns is certainly never released — discarded, only used
/// for its members, or kept in a local that is never disposed, released, returned, stored or passed on. A leaked
/// reference keeps the folio's refcount (or pincount) raised forever, so every later fork sees a maybe-pinned page
/// and copies it (folio_maybe_dma_pinned / page_needs_cow_for_dma) and the memory is never freed.
/// Deliberately not a path-sensitive analysis: any release or escape on some path counts (documented in CG0006.md).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0006PageReferenceLeakAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.PageReferenceLeak,
        title: "Page references are never released",
        messageFormat: "The page references taken by '{0}' are never released: {1}",
        category: RuleCategories.Lifetime,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Release the handle with a using declaration, Dispose(), or the matching [ReleasesPageReferences] API (put_page for references, unpin_user_pages for pins), or hand it on (return it, store it, pass it to a method).",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PageReferenceLeak));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.Invocation,
            OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var call = PageReferenceCall.TryCreate(context.Operation, compilation.Catalog, context.CancellationToken);
        if (call is null || call.Verdict == FlagsVerdict.Invalid || !ReleaseApis.IsHandleType(context.Operation.Type))
        {
            return;
        }

        var reason = LeakReason(context.Operation, compilation.Symbols);
        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, call.NameLocation, call.Api.Method.Name, reason));
        }
    }

    /// <summary>Why the handle certainly leaks, or null when it is released or handed on somewhere.</summary>
    private static string? LeakReason(IOperation call, CowGuardSymbols symbols)
    {
        var (value, consumer) = LocalUses.Consumer(call);
        switch (consumer)
        {
            case IExpressionStatementOperation:
                return "the result is discarded";
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return "the result is assigned to a discard";
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == value:
                return LocalLeakReason(local.Local, call, symbols);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsUsingDeclaration(declarator):
                return LocalLeakReason(declarator.Symbol, call, symbols);
            case IInvocationOperation invocation when invocation.Instance == value:
                return ReleaseApis.ReleasesReceiver(invocation, symbols) ? null : "only a member of the handle is used";
            case IMemberReferenceOperation member when member.Instance == value:
                return "only a member of the handle is used";
            default:
                return null;
        }
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator) =>
        declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation } };

    /// <summary>A handle in a local leaks when no reference to the local releases it or lets it escape; reading its
    /// members or overwriting it does neither.</summary>
    private static string? LocalLeakReason(ILocalSymbol local, IOperation call, CowGuardSymbols symbols)
    {
        foreach (var reference in LocalUses.References(LocalUses.BodyRoot(call), local))
        {
            var (value, consumer) = LocalUses.Consumer(reference);
            var neutral = consumer switch
            {
                IInvocationOperation invocation when invocation.Instance == value => !ReleaseApis.ReleasesReceiver(invocation, symbols),
                IMemberReferenceOperation member when member.Instance == value => true,
                ISimpleAssignmentOperation assignment when assignment.Target == value => true,
                IConditionalAccessOperation conditional when conditional.Operation == value =>
                    conditional.WhenNotNull is not IInvocationOperation whenNotNull || !ReleaseApis.ReleasesReceiver(whenNotNull, symbols),
                _ => false,
            };
            if (!neutral)
            {
                return null;
            }
        }

        return $"'{local.Name}' is never disposed, released, returned, stored or passed on";
    }
}
