using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0002: a [WrongSideCowOk] whose justification is not one — null, empty, whitespace, a placeholder such as
/// "&lt;Pending&gt;" (what the add-attribute fix writes), a TODO-style marker, or shorter than the configured minimum.
/// Members, accessors, constructors and types are read through symbol actions; lambdas and local functions, which
/// are not members, through their operations.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0002JustificationMissingAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.JustificationMissing,
        title: "WrongSideCowOk justification is missing or not a justification",
        messageFormat: "The [WrongSideCowOk] justification {0}; write why a page reference on the wrong side of COW is harmless here",
        category: RuleCategories.Justification,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A justification is what a reviewer reads instead of the kernel history. Placeholders, markers such as TODO and very short texts are rejected; the list and the minimum length are configurable in .editorconfig.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.JustificationMissing));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation)
    {
        // Check returns the diagnostic instead of taking the context's ReportDiagnostic: a method-group delegate made
        // for every member of the compilation was a fifth of this rule's cost.
        context.RegisterSymbolAction(
            symbolContext =>
            {
                if (Check(symbolContext.Symbol, compilation, symbolContext.CancellationToken) is { } diagnostic)
                {
                    symbolContext.ReportDiagnostic(diagnostic);
                }
            },
            SymbolKind.Method,
            SymbolKind.Property,
            SymbolKind.NamedType);
        context.RegisterOperationAction(
            operationContext =>
            {
                if (Check(FunctionSymbol(operationContext.Operation), compilation, operationContext.CancellationToken) is { } diagnostic)
                {
                    operationContext.ReportDiagnostic(diagnostic);
                }
            },
            OperationKind.AnonymousFunction,
            OperationKind.LocalFunction);
    }

    /// <summary>A lambda's or local function's attributes can only be written in its own attribute lists (an anonymous
    /// method has none), so most functions are passed over by their syntax, before their attributes are bound.</summary>
    private static ISymbol? FunctionSymbol(IOperation operation) => operation switch
    {
        IAnonymousFunctionOperation { Syntax: LambdaExpressionSyntax { AttributeLists.Count: > 0 } } lambda => lambda.Symbol,
        ILocalFunctionOperation { Syntax: LocalFunctionStatementSyntax { AttributeLists.Count: > 0 } } localFunction => localFunction.Symbol,
        _ => null,
    };

    private static Diagnostic? Check(ISymbol? symbol, CowGuardCompilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        // The attribute first: most members have none, and then the other two questions are not asked. The
        // implementation part of a partial method shares the definition part's attributes: report them once.
        var attribute = symbol is null ? null : JustificationScope.Find(symbol, compilation.Symbols);
        if (attribute is null || symbol!.IsImplicitlyDeclared || symbol is IMethodSymbol { PartialDefinitionPart: not null } ||
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax ||
            attribute.ConstructorArguments.Length != 1 ||
            attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error)
        {
            return null;
        }

        var problem = JustificationText.FindProblem(
            attribute.ConstructorArguments[0].Value as string, compilation.OptionsFor(syntax.SyntaxTree));
        if (problem is null)
        {
            return null;
        }

        var location = syntax.ArgumentList?.Arguments.Count > 0
            ? syntax.ArgumentList.Arguments[0].GetLocation()
            : syntax.GetLocation();
        return Diagnostic.Create(Rule, location, problem);
    }
}
