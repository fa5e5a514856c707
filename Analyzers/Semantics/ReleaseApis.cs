using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Recognises what releases a page-reference handle: Dispose/DisposeAsync of the handle, or a method
/// annotated [ReleasesPageReferences(kind)] (put_page-style for Get, unpin_user_pages-style for Pin).</summary>
internal static class ReleaseApis
{
    /// <summary>The kind a method releases when it carries [ReleasesPageReferences(kind)]; null otherwise.</summary>
    public static ReferenceKind? ReleasedKind(IMethodSymbol method, CowGuardSymbols symbols)
    {
        // The reach first: it is the same for the method and its definition (one containing type).
        if (symbols.ReleasesPageReferencesAttribute is null || !symbols.Reach.MayBeAnnotated(method))
        {
            return null;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;

        foreach (var attribute in definition.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.ReleasesPageReferencesAttribute))
            {
                return PageReferenceApiCatalog.ReadKind(attribute);
            }
        }

        return null;
    }

    /// <summary>True for a call that releases its receiver: Dispose, DisposeAsync, or an annotated release method.</summary>
    public static bool ReleasesReceiver(IInvocationOperation invocation, CowGuardSymbols symbols) =>
        invocation.TargetMethod.Name is "Dispose" or "DisposeAsync" ||
        ReleasedKind(invocation.TargetMethod, symbols) is not null;

    /// <summary>Handles are the disposable results of page-reference APIs (the VmModel Gup contract).</summary>
    public static bool IsHandleType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_IDisposable)
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.SpecialType == SpecialType.System_IDisposable)
            {
                return true;
            }
        }

        return false;
    }
}
