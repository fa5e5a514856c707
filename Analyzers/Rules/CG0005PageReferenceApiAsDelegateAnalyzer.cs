using System.Collections.Immutable;
using System.Linq;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0005: a page-reference API turned into a delegate or function pointer — a method group of an API or of a
/// [GupFlags] wrapper (delegate conversion, delegate creation, function pointer), or a lambda with a [GupFlags]
/// parameter. The eventual call happens through the delegate, where no flags can be checked — the delegate analogue of
/// ILLink's IL2026 on ldftn. A [GupFlags] lambda is reported here, at its conversion, rather than at the forwarding call
/// inside it: the lambda's body is right (it forwards), what is unchecked is every invocation of the delegate, and
/// the conversion is where that starts (docs/rules/soundness.md).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0005PageReferenceApiAsDelegateAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.PageReferenceApiAsDelegate,
        title: "Page-reference API used as a delegate or function pointer",
        messageFormat: "'{0}' takes page references and is turned into a delegate or function pointer here; the flags passed where it is invoked cannot be checked",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Wrap the call in a lambda that passes FollFlags.Write or FollFlags.BreakCow (then CG0001 checks it) instead of converting the API or a [GupFlags] lambda, or justify the conversion with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PageReferenceApiAsDelegate));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.MethodReference,
            OperationKind.AnonymousFunction);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var operation = context.Operation;
        var api = compilation.ConvertedApi(operation);
        if (api is null || compilation.FindConversionCovering(operation, context.ContainingSymbol) is not null)
        {
            return;
        }

        var location = operation is IAnonymousFunctionOperation
            ? api.FlagsParameter?.Locations.FirstOrDefault() ?? operation.Syntax.GetLocation()
            : CallSyntax.NameLocation(operation.Syntax);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            location,
            compilation.ScopeFixData(operation.Syntax.SyntaxTree),
            operation is IAnonymousFunctionOperation ? "lambda" : api.Method.Name));
    }
}
