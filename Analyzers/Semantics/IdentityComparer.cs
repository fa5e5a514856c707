using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Equality by reference, for tables keyed by original definitions: within one compilation Roslyn hands out one
/// instance per definition (the public symbol is cached on the compiler's own), so finding one again needs neither the
/// symbol comparer's structural hash nor its equality walk. Should a second instance ever appear, it is only described
/// a second time, to the same answer.
/// </summary>
internal sealed class IdentityComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static IdentityComparer<T> Instance { get; } = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
