using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Rules;

/// <summary>
/// CG0007: a handle released through the release API of the other reference discipline — pins (FOLL_PIN) passed to a
/// put_page-style [ReleasesPageReferences(Get)] API, or plain references (FOLL_GET) to an unpin-style
/// [ReleasesPageReferences(Pin)] API. In the kernel, unpin_user_page() on a FOLL_GET page subtracts
/// GUP_PIN_COUNTING_BIAS it never added (and put_page() on a pin leaves the bias behind), corrupting the folio's
/// refcount. The handle's kind is known when the released value is the page-reference call itself, or a local that
/// such a call initialises and nothing writes again.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CG0007WrongReleaseApiAnalyzer : CowGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.WrongReleaseApi,
        title: "Page references released through the wrong API",
        messageFormat: "'{0}' releases {1}, but this handle holds {2} taken by '{3}'",
        category: RuleCategories.Lifetime,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Pins must be released with an unpin API ([ReleasesPageReferences(PageReferenceKind.Pin)]) and plain references with a put_page API ([ReleasesPageReferences(PageReferenceKind.Get)]); Dispose() of the handle always uses the right one.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.WrongReleaseApi));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    private protected override void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation)
    {
        if (compilation.Symbols.ReleasesPageReferencesAttribute is not null)
        {
            context.RegisterOperationAction(operationContext => Analyze(operationContext, compilation), OperationKind.Invocation);
        }
    }

    private static void Analyze(OperationAnalysisContext context, CowGuardCompilation compilation)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var releasedKind = compilation.Catalog.ReleasedKind(invocation.TargetMethod);
        if (releasedKind is null or ReferenceKind.Unknown)
        {
            return;
        }

        if (invocation.Instance is { IsImplicit: false } receiver)
        {
            Check(context, compilation, invocation, receiver, releasedKind.Value);
        }

        foreach (var argument in invocation.Arguments)
        {
            Check(context, compilation, invocation, argument.Value, releasedKind.Value);
        }
    }

    private static void Check(
        OperationAnalysisContext context, CowGuardCompilation compilation, IInvocationOperation release, IOperation value, ReferenceKind releasedKind)
    {
        if (Origin(value, compilation, context.CancellationToken) is { } origin && origin.Kind != ReferenceKind.Unknown && origin.Kind != releasedKind)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                value.Syntax.GetLocation(),
                release.TargetMethod.Name,
                Describe(releasedKind),
                Describe(origin.Kind),
                origin.Method.Name));
        }
    }

    /// <summary>The API of the page-reference call the value comes from: the value itself, or the initializer of a local that
    /// nothing writes again (and nothing aliases).</summary>
    private static PageReferenceApi? Origin(IOperation value, CowGuardCompilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        value = WithoutConversions(value);
        if (value is ILocalReferenceOperation local && BodyVariables.Of(value).Facts(local.Local).SingleValue is { } initializer)
        {
            value = WithoutConversions(initializer);
        }

        return PageReferenceCall.FindApi(value, compilation.Catalog, cancellationToken);
    }

    private static IOperation WithoutConversions(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    private static string Describe(ReferenceKind kind) =>
        kind == ReferenceKind.Pin ? "pins (FOLL_PIN)" : "plain page references (FOLL_GET)";
}
