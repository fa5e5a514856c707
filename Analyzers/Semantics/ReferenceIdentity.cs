using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>Compares symbols by object identity (netstandard2.0 has no ReferenceEqualityComparer). Only for caches
/// whose answer depends on nothing but the symbol: two instances of one symbol then merely hold the same answer
/// twice.</summary>
internal sealed class ReferenceIdentity : IEqualityComparer<IMethodSymbol>
{
    public static ReferenceIdentity Instance { get; } = new();

    private ReferenceIdentity()
    {
    }

    public bool Equals(IMethodSymbol? x, IMethodSymbol? y) => ReferenceEquals(x, y);

    public int GetHashCode(IMethodSymbol obj) => RuntimeHelpers.GetHashCode(obj);
}
