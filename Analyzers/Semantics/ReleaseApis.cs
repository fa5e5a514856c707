using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Recognises what releases a page-reference handle: Dispose/DisposeAsync of the handle, or a method
/// annotated [ReleasesPageReferences(kind)] (put_page-style for Get, unpin_user_pages-style for Pin).</summary>
internal static class ReleaseApis
{
    /// <summary>True for a call that releases its receiver: Dispose, DisposeAsync, or an annotated release method.</summary>
    public static bool ReleasesReceiver(IInvocationOperation invocation, PageReferenceApiCatalog catalog) =>
        invocation.TargetMethod.Name is "Dispose" or "DisposeAsync" ||
        catalog.ReleasedKind(invocation.TargetMethod) is not null;

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
