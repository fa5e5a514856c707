using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0004: the analyzer cannot prove that the flags of a page-reference call contain Write or BreakCow, nor that they
/// are a forwarded [GupFlags] parameter (docs/rules/soundness.md lists every way a value reaches a call and which
/// ones are proven). Reported, with the reason, instead of guessing either way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0004FlagsNotProvableAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.FlagsNotProvable,
        title: "Page-reference flags cannot be proven to break COW",
        messageFormat: "CowGuard cannot prove that the flags passed to '{0}' contain FollFlags.Write or FollFlags.BreakCow: {1}",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "CowGuard trusts only flags it proves: constants, | & ^ ~ of them, conditional and switch expressions, locals and parameters through the writes that reach the call, and [GupFlags] parameters whose callers are checked. A value that can change behind the analyzer's back (a field, a property, a call result, a variable passed by reference, aliased, or written in a lambda) is reported. Make the flags provable, mark the parameter they come from with [GupFlags] so callers are checked, or justify the call with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.FlagsNotProvable));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.DynamicInvocation,
            OperationKind.DynamicObjectCreation);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var call = compilation.FindUncoveredCall(context, FlagsVerdict.NotProvable);
        if (call is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Rule, call.NameLocation, compilation.ScopeFixData(context.Operation.Syntax.SyntaxTree), call.Api.Method.Name, call.UnprovableReason));
        }
    }
}
