using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Everything a CowGuard rule needs for one compilation: the annotation symbols, the API catalog and the
/// options of each syntax tree. One instance per compilation is shared by all CowGuard rules (a weak table keyed by
/// the compilation, never an analyzer field — RS1008), so the API catalog is filled once, not once per rule.</summary>
internal sealed class CowGuardCompilation
{
    private static readonly ConditionalWeakTable<Compilation, Shared> SharedByCompilation = new();

    private readonly AnalyzerOptions _options;
    private readonly ConcurrentDictionary<SyntaxTree, CowGuardOptions> _treeOptions = new();

    /// <summary>The most recent page-reference calls any rule asked about, so the flags of a call are evaluated once
    /// however many rules read them: the driver runs each rule over one body after the other, so a call is asked about
    /// again within a few hundred calls, and an evicted one is only evaluated again (the same answer). Bounded and
    /// without weak handles: a ConditionalWeakTable's dependent handle per call cost more than the evaluation.</summary>
    private readonly IdentityMemo<IOperation, PageReferenceCall> _calls = new(slotBits: 8);

    /// <summary>Whether a call's result type is a handle, per type instance: the public symbol model builds a new
    /// interface array on every <c>AllInterfaces</c> read.</summary>
    private readonly IdentityMemo<ITypeSymbol, bool> _handleTypes = new(slotBits: 6);

    private CowGuardCompilation(CowGuardSymbols symbols, AnalyzerOptions options)
    {
        Symbols = symbols;
        Catalog = new PageReferenceApiCatalog(symbols);
        _options = options;
    }

    public CowGuardSymbols Symbols { get; }

    /// <summary>The driver's generated-code test for rules that apply it themselves.</summary>
    public GeneratedCodeFilter GeneratedCode { get; } = new();

    /// <summary>The shared state of <paramref name="compilation"/>, or null when it does not reference VmModel's
    /// annotations (the rules then register nothing).</summary>
    public static CowGuardCompilation? For(Compilation compilation, AnalyzerOptions options)
    {
        var shared = SharedByCompilation.GetValue(compilation, c => new Shared(Create(c, options), options));

        // A host that hands different options to different analyzers of one compilation gets unshared state.
        return ReferenceEquals(shared.Options, options) ? shared.State : Create(compilation, options);
    }

    private static CowGuardCompilation? Create(Compilation compilation, AnalyzerOptions options) =>
        CowGuardSymbols.TryResolve(compilation) is { } symbols ? new CowGuardCompilation(symbols, options) : null;

    public PageReferenceApiCatalog Catalog { get; }

    public CowGuardOptions OptionsFor(SyntaxTree tree) =>
        _treeOptions.GetOrAdd(tree, t => CowGuardOptions.Read(_options.AnalyzerConfigOptionsProvider.GetOptions(t)));

    /// <summary>The page-reference call at the context's operation when its verdict is <paramref name="verdict"/> and
    /// no [WrongSideCowOk] covers it; null otherwise.</summary>
    public PageReferenceCall? FindUncoveredCall(OperationAnalysisContext context, FlagsVerdict verdict)
    {
        var call = CallAt(context.Operation, context.CancellationToken);
        return call is not null && call.Verdict == verdict && FindCovering(context.Operation, context.ContainingSymbol) is null
            ? call
            : null;
    }

    /// <summary><see cref="ReleaseApis.IsHandleType"/>, remembered per type.</summary>
    public bool IsHandleType(ITypeSymbol? type) => type is not null && _handleTypes.GetOrAdd(type, ReleaseApis.IsHandleType);

    /// <summary>The page-reference call at <paramref name="operation"/> with its flags verdict, evaluated once per
    /// operation and shared by every rule; null when the operation is not a page-reference call.</summary>
    public PageReferenceCall? CallAt(IOperation operation, System.Threading.CancellationToken cancellationToken)
    {
        // Most invocations are not page-reference calls: the cached per-method lookup answers them before the table.
        var api = PageReferenceCall.FindApi(operation, Catalog, cancellationToken);
        if (api is null)
        {
            return null;
        }

        if (!_calls.TryGet(operation, out var call))
        {
            call = PageReferenceCall.Create(operation, api, Catalog, cancellationToken);
            _calls.Remember(operation, call);
        }

        return call;
    }

    /// <summary>
    /// The page-reference API that <paramref name="operation"/> turns into a delegate or function pointer: a method
    /// group of an API (or of a [GupFlags] wrapper or local function), or a lambda that is itself an API (a [GupFlags]
    /// parameter or [PageReferenceApi]; a lambda is always converted, never called by name). Null for anything else
    /// and inside nameof. Whoever invokes the delegate chooses the flags where no rule can see them (CG0005).
    /// </summary>
    public PageReferenceApi? ConvertedApi(IOperation operation)
    {
        var api = operation switch
        {
            IMethodReferenceOperation reference => Catalog.Find(reference.Method),
            IAnonymousFunctionOperation lambda when HasAttributes(lambda.Syntax) => Catalog.Find(lambda.Symbol),
            _ => null,
        };
        return api is null || IsInsideNameOf(operation) ? null : api;
    }

    /// <summary>The [WrongSideCowOk] covering a conversion: for a lambda its own attribute first (the references its
    /// callers make are taken inside it), then the scopes around it.</summary>
    public (AttributeData Attribute, ISymbol Scope)? FindConversionCovering(IOperation conversion, ISymbol containingSymbol) =>
        conversion is IAnonymousFunctionOperation lambda && JustificationScope.Find(lambda.Symbol, Symbols) is { } own
            ? (own, lambda.Symbol)
            : FindCovering(conversion, containingSymbol);

    /// <summary>Only a lambda with an attribute (on itself or a parameter) can be an API: most lambdas are rejected by
    /// their syntax, without a symbol lookup.</summary>
    private static bool HasAttributes(SyntaxNode lambda)
    {
        if (lambda is not Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedLambdaExpressionSyntax parenthesized)
        {
            return false;
        }

        if (parenthesized.AttributeLists.Count > 0)
        {
            return true;
        }

        foreach (var parameter in parenthesized.ParameterList.Parameters)
        {
            if (parameter.AttributeLists.Count > 0)
            {
                return true;
            }
        }

        return false;
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

    /// <summary>The fix data every "justify or fix this reference" diagnostic carries.</summary>
    public ImmutableDictionary<string, string?> ScopeFixData(SyntaxTree tree) =>
        ImmutableDictionary<string, string?>.Empty.Add(
            FixData.TypeLevelJustificationKey, OptionsFor(tree).TypeLevelJustification ? "true" : "false");

    /// <summary>The [WrongSideCowOk] covering <paramref name="operation"/> under the options of its file, if any.</summary>
    public (AttributeData Attribute, ISymbol Scope)? FindCovering(IOperation operation, ISymbol containingSymbol) =>
        JustificationScope.FindCovering(
            operation, containingSymbol, Symbols, OptionsFor(operation.Syntax.SyntaxTree).TypeLevelJustification);

    private sealed class Shared
    {
        public Shared(CowGuardCompilation? state, AnalyzerOptions options)
        {
            State = state;
            Options = options;
        }

        public CowGuardCompilation? State { get; }

        public AnalyzerOptions Options { get; }
    }
}
