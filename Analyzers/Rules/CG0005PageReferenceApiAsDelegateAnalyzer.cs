using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0005: a page-reference API referenced as a method group (delegate conversion, delegate creation, function
/// pointer). The eventual call happens through the delegate, where no flags can be checked — the delegate analogue of
/// ILLink's IL2026 on ldftn.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0005PageReferenceApiAsDelegateAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.PageReferenceApiAsDelegate,
        title: "Page-reference API used as a delegate or function pointer",
        messageFormat: "'{0}' takes page references but is used as a method group here; its flags cannot be checked where the delegate is invoked",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Wrap the call in a lambda that passes FollFlags.Write or FollFlags.BreakCow (then CG0001 checks it), or justify the reference with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PageReferenceApiAsDelegate));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.MethodReference);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        var api = compilation.Catalog.Find(reference.Method);
        if (api is null || IsInsideNameOf(reference) ||
            compilation.FindCovering(reference, context.ContainingSymbol) is not null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            CallSyntax.NameLocation(reference.Syntax),
            compilation.ScopeFixData(reference.Syntax.SyntaxTree),
            api.Method.Name));
    }

    private static bool IsInsideNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
            {
                return true;
            }
        }

        return false;
    }
}
