using System.Runtime.CompilerServices;
using System.Threading;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// A bounded, lock-free, direct-mapped memo from an object (by identity) to an answer that depends on nothing but that
/// object: one slot per identity hash, a newer key evicting an older one in its slot, so it never grows. Every
/// invocation of a compilation asks about its target in four rules, and Roslyn hands over one symbol instance per
/// method (and per member of one constructed type) however often it is called, so a probe here — a hash, an array
/// read and a reference comparison, with no comparer, lock or bucket walk — answers nearly every question. A miss
/// only means the caller computes the answer again.
/// </summary>
internal sealed class IdentityMemo<TKey, TValue>
    where TKey : class
{
    private readonly Entry?[] _slots;
    private readonly int _mask;

    /// <param name="slotBits">log2 of the slot count.</param>
    public IdentityMemo(int slotBits)
    {
        _slots = new Entry?[1 << slotBits];
        _mask = (1 << slotBits) - 1;
    }

    public bool TryGet(TKey key, out TValue value)
    {
        // A plain read: the entry is immutable and published by Volatile.Write, and .NET orders a read of a reference
        // before the dependent reads of the object's fields.
        var entry = _slots[RuntimeHelpers.GetHashCode(key) & _mask];
        if (entry is not null && ReferenceEquals(entry.Key, key))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The remembered answer for <paramref name="key"/>, or <paramref name="compute"/>'s, then remembered.</summary>
    public TValue GetOrAdd(TKey key, System.Func<TKey, TValue> compute)
    {
        if (!TryGet(key, out var value))
        {
            value = compute(key);
            Remember(key, value);
        }

        return value;
    }

    /// <summary>Publishes an immutable entry: a reader sees either the old entry or the whole new one.</summary>
    public void Remember(TKey key, TValue value) =>
        Volatile.Write(ref _slots[RuntimeHelpers.GetHashCode(key) & _mask], new Entry(key, value));

    private sealed class Entry
    {
        public Entry(TKey key, TValue value)
        {
            Key = key;
            Value = value;
        }

        public TKey Key { get; }

        public TValue Value { get; }
    }
}
