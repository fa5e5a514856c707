using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Everything a CowGuard rule needs for one compilation: the annotation symbols, the API catalog and the
/// options of each syntax tree. Lives only for the compilation-start scope (no per-compilation state in analyzer
/// fields, RS1008).</summary>
internal sealed class CowGuardCompilation
{
    private readonly AnalyzerOptions _options;
    private readonly ConcurrentDictionary<SyntaxTree, CowGuardOptions> _treeOptions = new();

    public CowGuardCompilation(CowGuardSymbols symbols, AnalyzerOptions options)
    {
        Symbols = symbols;
        Catalog = new PageReferenceApiCatalog(symbols);
        _options = options;
    }

    public CowGuardSymbols Symbols { get; }

    public PageReferenceApiCatalog Catalog { get; }

    public CowGuardOptions OptionsFor(SyntaxTree tree) =>
        _treeOptions.GetOrAdd(tree, t => CowGuardOptions.Read(_options.AnalyzerConfigOptionsProvider.GetOptions(t)));

    /// <summary>The page-reference call at the context's operation when its verdict is <paramref name="verdict"/> and
    /// no [WrongSideCowOk] covers it; null otherwise.</summary>
    public PageReferenceCall? FindUncoveredCall(OperationAnalysisContext context, FlagsVerdict verdict)
    {
        var call = PageReferenceCall.TryCreate(context.Operation, Catalog);
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
}
