using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0001: a page-reference call whose effective flags contain neither Write nor BreakCow, outside any
/// [WrongSideCowOk]. Such a reference can end up on the wrong side of a COW after fork (CVE-2020-29374, the
/// vmsplice case of tools/testing/selftests/mm/cow.c).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0001PageReferenceWithoutBreakCowAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.PageReferenceWithoutBreakCow,
        title: "Page reference does not break COW",
        messageFormat: "'{0}' takes a page reference without FollFlags.Write or FollFlags.BreakCow and no [WrongSideCowOk] covers it; after fork the reference can stay on the wrong side of a COW",
        category: RuleCategories.Cow,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A get_user_pages-style reference taken without write or unshare semantics does not break COW: after fork, a later write fault can give the process a new page while the reference still points at the old, shared one. Pass FollFlags.BreakCow (or FollFlags.Write), or justify the call with [WrongSideCowOk(\"why\")].",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PageReferenceWithoutBreakCow));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    /// <summary>Reports through <see cref="GeneratedCodeFilter"/>: the driver's own filter walks every token of each
    /// file with a warning, and this rule is the one that warns in many files.</summary>
    private protected override GeneratedCodeAnalysisFlags GeneratedCodeAnalysis => GeneratedCodeAnalysisFlags.ReportDiagnostics;

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation) =>
        context.RegisterOperationAction(
            operationContext => Analyze(operationContext, compilation),
            OperationKind.Invocation,
            OperationKind.ObjectCreation);

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var call = compilation.FindUncoveredCall(context, FlagsVerdict.WrongSide);
        if (call is null)
        {
            return;
        }

        var location = call.NameLocation;
        if (compilation.GeneratedCode.IsInGeneratedCode(location, context.ContainingSymbol, context.Compilation, context.CancellationToken))
        {
            return;
        }

        var properties = compilation.ScopeFixData(context.Operation.Syntax.SyntaxTree)
            .Add(FixData.FlagsFixKey, FlagsFix(call, compilation.Symbols))
            .Add(FixData.FlagsParameterKey, call.Api.FlagsParameter?.Name);
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, call.Api.Method.Name));
    }

    private static string FlagsFix(PageReferenceCall call, CowGuardSymbols symbols)
    {
        if (call.FlagsArgument is null ||
            !SymbolEqualityComparer.Default.Equals(call.Api.FlagsParameter?.Type, symbols.FollFlags))
        {
            return FixData.NoFlagsFix;
        }

        return call.FlagsArgument.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.DefaultValue
            ? FixData.AddNamedArgument
            : FixData.AppendToArgument;
    }
}
