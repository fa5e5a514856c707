using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0004: the flags of a page-reference call are not constant and not a forwarded [GupFlags] parameter, so the
/// analyzer cannot prove the call breaks COW. Reported instead of guessing either way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0004FlagsNotProvableAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.FlagsNotProvable,
        title: "Page-reference flags cannot be proven to break COW",
        messageFormat: "The flags passed to '{0}' are neither constant nor a forwarded [GupFlags] parameter, so CowGuard cannot prove they contain FollFlags.Write or FollFlags.BreakCow",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "CowGuard evaluates flags without data flow: constants, | & ^ ~ of them, conditional and switch expressions, and [GupFlags] parameters of the enclosing method. Make the flags one of those, mark the parameter they come from with [GupFlags] so callers are checked, or justify the call with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FlagsNotProvable));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.Invocation,
            OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var call = compilation.FindUncoveredCall(context, FlagsVerdict.NotProvable);
        if (call is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Rule, call.NameLocation, compilation.ScopeFixData(context.Operation.Syntax.SyntaxTree), call.Api.Method.Name));
        }
    }
}
