using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Finds the [WrongSideCowOk] that covers an operation, after ILLink's RequiresUnreferencedCode scoping
/// (IsInRequiresScope): the enclosing lambda or local function, then every enclosing method outward, an accessor's
/// property or event, and — when type-level justifications are on — the containing type and its outer types.
/// </summary>
internal static class JustificationScope
{
    /// <summary>The covering attribute and the symbol carrying it, or null when nothing covers the operation.</summary>
    public static (AttributeData Attribute, ISymbol Scope)? FindCovering(
        IOperation operation, ISymbol containingSymbol, CowGuardSymbols symbols, bool typeLevel)
    {
        for (var scope = InnermostFunction(operation) ?? containingSymbol; scope is not null; scope = scope.ContainingSymbol)
        {
            if (scope is INamespaceSymbol || (scope is INamedTypeSymbol && !typeLevel))
            {
                return null;
            }

            var attribute = Find(scope, symbols);
            if (attribute is not null)
            {
                return (attribute, scope);
            }

            if (scope is IMethodSymbol { AssociatedSymbol: { } property })
            {
                attribute = Find(property, symbols);
                if (attribute is not null)
                {
                    return (attribute, property);
                }
            }
        }

        return null;
    }

    /// <summary>The [WrongSideCowOk] declared on <paramref name="symbol"/> itself, if any.</summary>
    public static AttributeData? Find(ISymbol symbol, CowGuardSymbols symbols)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.WrongSideCowOkAttribute))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The nearest lambda or local function around the operation: its symbol's containing chain then leads
    /// outward through every enclosing function to the member.</summary>
    private static ISymbol? InnermostFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return null;
    }
}
