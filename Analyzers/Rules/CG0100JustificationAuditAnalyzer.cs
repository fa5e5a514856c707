using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0100: not a rule but an audit record. One info diagnostic per [WrongSideCowOk], carrying its justification and
/// the page-reference calls it is the nearest cover of, so reviewers can read every wrong-side-COW decision of a
/// project in one list (SARIF, or `cowguard audit`). Off by default; the package's `CowGuardAudit=true` MSBuild
/// property turns it on. Per type like CG0003: the type's operations record which attribute covers them, and the
/// type's end action reports every attribute declared in it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0100JustificationAuditAnalyzer : CowGuardAnalyzer
{
    /// <summary>Diagnostic property: the justification text, verbatim.</summary>
    public const string JustificationProperty = "Justification";

    /// <summary>Diagnostic property: the annotated scope.</summary>
    public const string ScopeProperty = "Scope";

    /// <summary>Diagnostic property: the covered calls, one per line as <c>line:column:Method</c> (1-based).</summary>
    public const string CoversProperty = "Covers";

    /// <summary>The custom tag that marks audit records, so presets and tools can tell them from rule violations.</summary>
    public const string AuditTag = "CowGuardAudit";

    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.JustificationAudit,
        title: "WrongSideCowOk audit record",
        messageFormat: "[WrongSideCowOk] on '{0}' covers {1}: \"{2}\"",
        category: RuleCategories.Justification,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: false,
        description: "Lists a [WrongSideCowOk] attribute, its justification and the page-reference calls it covers, for review. Enable it with the MSBuild property CowGuardAudit=true and read the records from the build output or from SARIF (ErrorLog), or run `cowguard audit`.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.JustificationAudit),
        customTags: AuditTag);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterSymbolStartAction(start => new TypeAudit(compilation).Register(start), SymbolKind.NamedType);

    /// <summary>The attributes declared inside one type and the calls each one covers.</summary>
    private sealed class TypeAudit
    {
        private readonly CowGuardCompilation _compilation;
        private readonly ConcurrentDictionary<(SyntaxTree, TextSpan), ConcurrentBag<CoveredCall>> _covered = new();
        private readonly ConcurrentBag<(AttributeData Attribute, ISymbol Scope)> _functionAttributes = new();

        public TypeAudit(CowGuardCompilation compilation) => _compilation = compilation;

        public void Register(SymbolStartAnalysisContext start)
        {
            start.RegisterOperationAction(
                RecordCall, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.DynamicInvocation, OperationKind.DynamicObjectCreation);
            start.RegisterOperationAction(RecordFunctionAttribute, OperationKind.AnonymousFunction, OperationKind.LocalFunction);
            start.RegisterSymbolEndAction(Report);
        }

        private void RecordCall(OperationAnalysisContext context)
        {
            var call = _compilation.CallAt(context.Operation, context.CancellationToken);
            if (call is not { Verdict: FlagsVerdict.WrongSide or FlagsVerdict.NotProvable } ||
                _compilation.FindCovering(context.Operation, context.ContainingSymbol) is not { } cover ||
                Key(cover.Attribute) is not { } key)
            {
                return;
            }

            var position = call.NameLocation.GetLineSpan().StartLinePosition;
            _covered.GetOrAdd(key, _ => new ConcurrentBag<CoveredCall>())
                .Add(new CoveredCall(position.Line + 1, position.Character + 1, call.Api.Method.Name));
        }

        private void RecordFunctionAttribute(OperationAnalysisContext context)
        {
            ISymbol? function = context.Operation switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation localFunction => localFunction.Symbol,
                _ => null,
            };
            if (function is not null && JustificationScope.Find(function, _compilation.Symbols) is { } attribute)
            {
                _functionAttributes.Add((attribute, function));
            }
        }

        private void Report(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            ReportDeclared(context, type);
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol or IPropertySymbol)
                {
                    ReportDeclared(context, member);
                }
            }

            foreach (var (attribute, scope) in _functionAttributes)
            {
                ReportAttribute(context, attribute, scope);
            }
        }

        private void ReportDeclared(SymbolAnalysisContext context, ISymbol scope)
        {
            if (JustificationScope.Find(scope, _compilation.Symbols) is { } attribute)
            {
                ReportAttribute(context, attribute, scope);
            }
        }

        private void ReportAttribute(SymbolAnalysisContext context, AttributeData attribute, ISymbol scope)
        {
            if (attribute.ApplicationSyntaxReference is not { } reference)
            {
                return;
            }

            var calls = _covered.TryGetValue((reference.SyntaxTree, reference.Span), out var bag)
                ? bag.OrderBy(c => c.Line).ThenBy(c => c.Column).ToImmutableArray()
                : ImmutableArray<CoveredCall>.Empty;
            var justification = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            var scopeName = ScopeName(scope);
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(JustificationProperty, justification ?? string.Empty)
                .Add(ScopeProperty, scopeName)
                .Add(CoversProperty, string.Join("\n", calls.Select(c => $"{c.Line}:{c.Column}:{c.Method}")));
            var covers = calls.IsEmpty
                ? "no page-reference call"
                : string.Join(", ", calls.Select(c => $"{c.Method} (line {c.Line})"));
            context.ReportDiagnostic(Diagnostic.Create(
                Rule, reference.GetSyntax(context.CancellationToken).GetLocation(), properties, scopeName, covers, justification ?? string.Empty));
        }

        private static string ScopeName(ISymbol scope) => scope switch
        {
            IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } => "lambda",
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name,
            _ => scope.Name,
        };

        private static (SyntaxTree, TextSpan)? Key(AttributeData attribute) =>
            attribute.ApplicationSyntaxReference is { } reference ? (reference.SyntaxTree, reference.Span) : null;
    }

    private readonly struct CoveredCall
    {
        public CoveredCall(int line, int column, string method)
        {
            Line = line;
            Column = column;
            Method = method;
        }

        public int Line { get; }

        public int Column { get; }

        public string Method { get; }
    }
}
