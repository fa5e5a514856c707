namespace CowGuard.Exploration;

/// <summary>
/// A set of byte values as a 256-bit mask: what a process knows to be its own data in one slot. A value type, so a
/// shadow's sets live inline in one array and a copied run state copies them with it.
/// </summary>
internal struct ByteSet
{
    private ulong _bits0;
    private ulong _bits1;
    private ulong _bits2;
    private ulong _bits3;

    public readonly bool Contains(byte value) => (Word(value) & Bit(value)) != 0;

    public void Add(byte value)
    {
        switch (value >> 6)
        {
            case 0: _bits0 |= Bit(value); break;
            case 1: _bits1 |= Bit(value); break;
            case 2: _bits2 |= Bit(value); break;
            default: _bits3 |= Bit(value); break;
        }
    }

    /// <summary>The members in increasing order.</summary>
    public readonly IEnumerable<byte> Members()
    {
        for (var value = 0; value < 256; value++)
        {
            if (Contains((byte)value))
            {
                yield return (byte)value;
            }
        }
    }

    private static ulong Bit(byte value) => 1UL << (value & 63);

    private readonly ulong Word(byte value) => (value >> 6) switch
    {
        0 => _bits0,
        1 => _bits1,
        2 => _bits2,
        _ => _bits3,
    };
}
