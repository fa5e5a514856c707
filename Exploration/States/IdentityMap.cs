using System.Runtime.CompilerServices;

namespace CowGuard.Exploration;

/// <summary>
/// The cloner's original → copy map: open addressing on the objects' identity hash codes, emptied in O(1) by a
/// generation stamp, because a copy of a machine state looks up a few hundred objects and a general dictionary's
/// per-entry cost dominated the copy.
/// </summary>
internal sealed class IdentityMap
{
    private object?[] _keys = new object?[1024];
    private object?[] _values = new object?[1024];
    private int[] _stamps = new int[1024];
    private int _generation = 1;
    private int _count;

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        _count = 0;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
    }

    public object? Find(object key)
    {
        var mask = _keys.Length - 1;
        for (var i = RuntimeHelpers.GetHashCode(key) & mask; _stamps[i] == _generation; i = (i + 1) & mask)
        {
            if (ReferenceEquals(_keys[i], key))
            {
                return _values[i];
            }
        }

        return null;
    }

    public void Add(object key, object value)
    {
        if (2 * (_count + 1) > _keys.Length)
        {
            Grow();
        }

        var mask = _keys.Length - 1;
        var i = RuntimeHelpers.GetHashCode(key) & mask;
        while (_stamps[i] == _generation)
        {
            i = (i + 1) & mask;
        }

        (_keys[i], _values[i], _stamps[i]) = (key, value, _generation);
        _count++;
    }

    private void Grow()
    {
        var (keys, values, stamps, generation) = (_keys, _values, _stamps, _generation);
        (_keys, _values, _stamps, _generation, _count) = (new object?[keys.Length * 2], new object?[keys.Length * 2], new int[keys.Length * 2], 1, 0);
        for (var i = 0; i < keys.Length; i++)
        {
            if (stamps[i] == generation)
            {
                Add(keys[i]!, values[i]!);
            }
        }
    }
}
