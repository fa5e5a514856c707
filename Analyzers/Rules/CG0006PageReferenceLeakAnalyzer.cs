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
        var call = compilation.CallAt(context.Operation, context.CancellationToken);
        if (call is null || call.Verdict == FlagsVerdict.Invalid || !compilation.IsHandleType(context.Operation.Type))
        {
            return;
        }

        var reason = LeakReason(context.Operation, compilation.Catalog);
        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, call.NameLocation, call.Api.Method.Name, reason));
        }
    }

    /// <summary>Why the handle certainly leaks, or null when it is released or handed on somewhere.</summary>
    private static string? LeakReason(IOperation call, PageReferenceApiCatalog catalog)
    {
        var (value, consumer) = BodyVariables.Consumer(call);
        switch (consumer)
        {
            case IExpressionStatementOperation:
                return "the result is discarded";
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return "the result is assigned to a discard";
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == value:
                return LocalLeakReason(local.Local, call, catalog);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsUsingDeclaration(declarator):
                return LocalLeakReason(declarator.Symbol, call, catalog);
            case not null when IsNeutralMemberUse(consumer, value, call.Type, catalog):
                return "only a member of the handle is used";
            default:
                return null;
        }
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator) =>
        declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation } };

    /// <summary>A handle in a local leaks when no reference to the local releases it or lets it escape: every reference
    /// only reads a member that cannot release or hand on the handle, or overwrites the local. A reference inside a
    /// lambda or local function counts as an escape (the closure can live on and do anything with it).</summary>
    private static string? LocalLeakReason(ILocalSymbol local, IOperation call, PageReferenceApiCatalog catalog)
    {
        var owner = BodyVariables.OwningFunction(local);
        foreach (var reference in BodyVariables.Of(call).Facts(local).References)
        {
            if (!SymbolEqualityComparer.Default.Equals(BodyVariables.EnclosingFunction(reference), owner))
            {
                return null;
            }

            var (value, consumer) = BodyVariables.Consumer(reference);
            var neutral = consumer switch
            {
                ISimpleAssignmentOperation assignment when assignment.Target == value && !assignment.IsRef => true,
                IConditionalAccessOperation conditional when conditional.Operation == value =>
                    IsNeutralMemberUse(conditional.WhenNotNull, null, local.Type, catalog),
                null => false,
                _ => IsNeutralMemberUse(consumer, value, local.Type, catalog),
            };
            if (!neutral)
            {
                return null;
            }
        }

        return $"'{local.Name}' is never disposed, released, returned, stored or passed on";
    }

    /// <summary>
    /// True when <paramref name="use"/> reads a member of the handle that can neither release it nor hand it on, so
    /// the rule may still say "certainly leaks": a property, field or method call (never a method group, which makes
    /// a delegate holding the handle) declared by System.Object or by the VmModel library itself (whose members are
    /// known not to store the handle), that is not a release method, and whose result cannot be the handle itself.
    /// A member of any other library could register <c>this</c> somewhere, so its use counts as an escape.
    /// </summary>
    private static bool IsNeutralMemberUse(IOperation use, IOperation? receiver, ITypeSymbol? handleType, PageReferenceApiCatalog catalog)
    {
        var (member, instance) = use switch
        {
            IInvocationOperation invocation when !ReleaseApis.ReleasesReceiver(invocation, catalog) => ((ISymbol)invocation.TargetMethod, invocation.Instance),
            IPropertyReferenceOperation property => (property.Property, property.Instance),
            IFieldReferenceOperation field => (field.Field, field.Instance),
            _ => (null, null),
        };
        if (member is null || instance is null || (receiver is not null && instance != receiver) || (receiver is null && instance is not IConditionalAccessInstanceOperation))
        {
            return false;
        }

        var declaredBy = member.ContainingType;
        var trusted = declaredBy?.SpecialType == SpecialType.System_Object ||
            SymbolEqualityComparer.Default.Equals(declaredBy?.ContainingAssembly, catalog.Symbols.PageReferenceApiAttribute.ContainingAssembly);
        return trusted && !CanBeTheHandle(use.Type, handleType);
    }

    /// <summary>Whether a member's result could be the handle object again (its type or a base type or interface of it).</summary>
    private static bool CanBeTheHandle(ITypeSymbol? resultType, ITypeSymbol? handleType)
    {
        if (resultType is null || resultType.SpecialType == SpecialType.System_Void)
        {
            return false;
        }

        if (resultType.SpecialType == SpecialType.System_Object || resultType.TypeKind is TypeKind.Dynamic or TypeKind.TypeParameter or TypeKind.Error)
        {
            return true;
        }

        for (var type = handleType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, resultType))
            {
                return true;
            }
        }

        foreach (var implemented in handleType?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, resultType))
            {
                return true;
            }
        }

        return false;
    }
}
