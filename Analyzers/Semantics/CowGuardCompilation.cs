using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Everything a CowGuard rule needs for one compilation: the annotation symbols, the API catalog and the
/// options of each syntax tree. One instance per compilation is shared by all CowGuard rules (a weak table keyed by
/// the compilation, never an analyzer field — RS1008), so the API catalog is filled once, not once per rule.</summary>
internal sealed class CowGuardCompilation
{
    private static readonly ConditionalWeakTable<Compilation, Shared> SharedByCompilation = new();

    private readonly AnalyzerOptions _options;
    private readonly ConcurrentDictionary<SyntaxTree, CowGuardOptions> _treeOptions = new();

    private CowGuardCompilation(CowGuardSymbols symbols, AnalyzerOptions options)
    {
        Symbols = symbols;
        Catalog = new PageReferenceApiCatalog(symbols);
        _options = options;
    }

    public CowGuardSymbols Symbols { get; }

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
        var call = PageReferenceCall.TryCreate(context.Operation, Catalog, context.CancellationToken);
        return call is not null && call.Verdict == verdict && FindCovering(context.Operation, context.ContainingSymbol) is null
            ? call
            : null;
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
