using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The analyzer driver's "is this diagnostic in generated code?" test (AnalyzerDriver.IsInGeneratedCode), replayed by a
/// rule that reports many diagnostics from operation callbacks. With GeneratedCodeAnalysisFlags.None the driver runs
/// that test on every reported diagnostic, and on a file's first one it walks every token of the file looking for a
/// "GeneratedCode" identifier (about half of what CG0001 cost on the dense corpus). A rule that configures
/// ReportDiagnostics without Analyze is still never called for generated code — the driver skips a member when its
/// file is generated (file name, auto-generated header, generated_code option), when its declaration starts in a
/// #line hidden region, or when it or a type around it is [GeneratedCode] — and applies this filter itself to what
/// the skip does not cover, with the driver's own rules:
/// <list type="bullet">
/// <item>a location at a hidden position (#line hidden, or before the first #line of a file that has hidden lines) is
/// generated;</item>
/// <item>a location inside the declaration of a symbol that carries [GeneratedCode] is generated, where the driver
/// counts only declarations it computes (types, members, accessors, properties and events — never lambdas or local
/// functions) and never a symbol declared in more than one place (a partial type), for which it ignores the
/// attribute.</item>
/// </list>
/// The skip already excludes the member itself and the types whose attribute reaches it; what remains, and is checked
/// here, is a [GeneratedCode] property or event around an accessor and a [GeneratedCode] type outside a partial type.
/// </summary>
internal sealed class GeneratedCodeFilter
{
    private const string GeneratedCodeAttributeName = "System.CodeDom.Compiler.GeneratedCodeAttribute";

    private StrongBox<INamedTypeSymbol?>? _attribute;

    /// <summary>True when the driver would drop a diagnostic at <paramref name="location"/>, reported from an operation
    /// callback of <paramref name="containingSymbol"/>, as generated code.</summary>
    public bool IsInGeneratedCode(Location location, ISymbol containingSymbol, Compilation compilation, CancellationToken cancellationToken)
    {
        if (location.SourceTree is not { } tree)
        {
            return false;
        }

        // The compiler's IsHiddenPosition: #line hidden, and the lines before a file's first #line directive.
        if (tree.HasHiddenRegions() &&
            tree.GetLineVisibility(location.SourceSpan.Start, cancellationToken) is LineVisibility.Hidden or LineVisibility.BeforeFirstLineDirective)
        {
            return true;
        }

        for (var symbol = containingSymbol; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                continue;
            }

            if (HasGeneratedCodeAttribute(symbol, compilation) ||
                (symbol is IMethodSymbol { AssociatedSymbol: { } associated } && HasGeneratedCodeAttribute(associated, compilation)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The driver's per-symbol test (GeneratedCodeUtilities.IsGeneratedSymbolWithGeneratedCodeAttribute) without
    /// its walk to the containing symbol, which <see cref="IsInGeneratedCode"/> does itself.</summary>
    private bool HasGeneratedCodeAttribute(ISymbol symbol, Compilation compilation)
    {
        if (symbol.DeclaringSyntaxReferences.Length > 1)
        {
            return false;
        }

        var attributes = symbol.GetAttributes();
        if (attributes.IsEmpty || AttributeType(compilation) is not { } generatedCode)
        {
            return false;
        }

        foreach (var attribute in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(generatedCode, attribute.AttributeClass))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolved once per compilation, and only when a symbol around a reported diagnostic has attributes.</summary>
    private INamedTypeSymbol? AttributeType(Compilation compilation)
    {
        var known = Volatile.Read(ref _attribute);
        if (known is null)
        {
            known = new StrongBox<INamedTypeSymbol?>(compilation.GetTypeByMetadataName(GeneratedCodeAttributeName));
            Interlocked.CompareExchange(ref _attribute, known, null);
        }

        return known.Value;
    }
}
