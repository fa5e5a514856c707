using System.Collections.Concurrent;
using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0003: a [WrongSideCowOk] that is the nearest cover of no page reference needing one (ILLink IL2121, golangci
/// nolintlint allow-unused): either nothing under it takes page references without breaking COW any more, or an inner
/// attribute already covers everything. Per type, without a compilation-wide pass: the type's operations mark the
/// attributes they use, and the type's end action reports the rest. Disabled by default (users find these noisy).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0003StaleJustificationAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.StaleJustification,
        title: "WrongSideCowOk covers no page reference",
        messageFormat: "[WrongSideCowOk] on '{0}' covers no page reference that needs it; remove it",
        category: RuleCategories.Justification,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: false,
        description: "A justification that no longer justifies anything misleads reviewers and silently covers code added later. The attribute is stale when no call under it lacks Write/BreakCow, no flags under it are unprovable and no page-reference API is used as a delegate, or when a nearer attribute covers all of those.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.StaleJustification),
        customTags: WellKnownDiagnosticTags.Unnecessary);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterSymbolStartAction(start => new TypeScan(compilation).Register(start), SymbolKind.NamedType);

    /// <summary>The attributes used and declared inside one type (its members, lambdas and local functions).</summary>
    private sealed class TypeScan
    {
        private readonly CowGuardCompilation _compilation;
        private readonly ConcurrentDictionary<(SyntaxTree, TextSpan), bool> _used = new();
        private readonly ConcurrentBag<(AttributeData Attribute, ISymbol Scope)> _functionAttributes = new();

        public TypeScan(CowGuardCompilation compilation) => _compilation = compilation;

        public void Register(SymbolStartAnalysisContext start)
        {
            start.RegisterOperationAction(
                MarkUse,
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.DynamicInvocation,
                OperationKind.DynamicObjectCreation,
                OperationKind.MethodReference,
                OperationKind.AnonymousFunction);
            start.RegisterOperationAction(
                RecordFunctionAttribute,
                OperationKind.AnonymousFunction,
                OperationKind.LocalFunction);
            start.RegisterSymbolEndAction(ReportUnused);
        }

        private void MarkUse(OperationAnalysisContext context)
        {
            var operation = context.Operation;
            var covering = operation.Kind is OperationKind.MethodReference or OperationKind.AnonymousFunction
                ? _compilation.ConvertedApi(operation) is null ? null : _compilation.FindConversionCovering(operation, context.ContainingSymbol)
                : _compilation.CallAt(operation, context.CancellationToken) is { Verdict: FlagsVerdict.WrongSide or FlagsVerdict.NotProvable }
                    ? _compilation.FindCovering(operation, context.ContainingSymbol)
                    : null;
            if (covering is { } cover && Key(cover.Attribute) is { } key)
            {
                _used[key] = true;
            }
        }

        private void RecordFunctionAttribute(OperationAnalysisContext context)
        {
            ISymbol? function = context.Operation switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation localFunction => localFunction.Symbol,
                _ => null,
            };
            var attribute = function is null ? null : JustificationScope.Find(function, _compilation.Symbols);
            if (attribute is not null)
            {
                _functionAttributes.Add((attribute, function!));
            }
        }

        private void ReportUnused(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;

            // Operations of nested types belong to the nested types' own scans, so a type-level attribute that might
            // cover only nested members is left alone rather than guessed stale.
            if (type.GetTypeMembers().IsEmpty)
            {
                ReportIfUnused(context, type);
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol or IPropertySymbol)
                {
                    ReportIfUnused(context, member);
                }
            }

            foreach (var (attribute, scope) in _functionAttributes)
            {
                Report(context, attribute, scope);
            }
        }

        private void ReportIfUnused(SymbolAnalysisContext context, ISymbol scope)
        {
            var attribute = JustificationScope.Find(scope, _compilation.Symbols);
            if (attribute is not null)
            {
                Report(context, attribute, scope);
            }
        }

        private void Report(SymbolAnalysisContext context, AttributeData attribute, ISymbol scope)
        {
            if (Key(attribute) is { } key && !_used.ContainsKey(key))
            {
                var location = attribute.ApplicationSyntaxReference!.GetSyntax(context.CancellationToken).GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, ScopeName(scope)));
            }
        }

        private static string ScopeName(ISymbol scope) => scope switch
        {
            IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } => "lambda",
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name,
            _ => scope.Name,
        };

        /// <summary>Attributes are identified by where they are written, so the two parts of a partial method (which
        /// share their attributes) and the symbol seen from a call and from the type agree.</summary>
        private static (SyntaxTree, TextSpan)? Key(AttributeData attribute) =>
            attribute.ApplicationSyntaxReference is { } reference ? (reference.SyntaxTree, reference.Span) : null;
    }
}
