using System.Runtime.InteropServices;

namespace CowGuard.VmModel;

/// <summary>
/// The bytes of a page that differ from its fill byte, while there are few of them: up to <see cref="Capacity"/>
/// (offset, byte) pairs in one 64-byte slot of <see cref="PageFrames"/> — offsets at [0, 40), bytes at [40, 60), the
/// count at 60. Each offset appears at most once, so a lookup is one vectorised search of one cache line. A page whose
/// patch is full takes a 4 KiB frame instead (<see cref="Subpage"/>).
/// </summary>
internal readonly ref struct PagePatch(Span<byte> slot)
{
    /// <summary>log2 of a patch's size in bytes.</summary>
    public const int SizeShift = 6;

    /// <summary>The most differing bytes a patch holds.</summary>
    public const int Capacity = 20;

    private const int ValuesStart = 2 * Capacity;
    private const int CountAt = ValuesStart + Capacity;

    private readonly Span<byte> _slot = slot;

    private int Count => _slot[CountAt];

    private Span<ushort> Offsets => MemoryMarshal.Cast<byte, ushort>(_slot[..ValuesStart])[..Count];

    /// <summary>An empty patch: every byte of the page is the fill byte.</summary>
    public void Clear() => _slot[CountAt] = 0;

    /// <summary>The byte at <paramref name="offset"/> if the patch holds it (otherwise the page's fill byte is there).</summary>
    public bool TryRead(int offset, out byte value)
    {
        var at = Offsets.IndexOf((ushort)offset);
        value = at < 0 ? default : _slot[ValuesStart + at];
        return at >= 0;
    }

    /// <summary>Stores a byte; false when it needs a new pair and the patch is full (then nothing changed).</summary>
    public bool TrySet(int offset, byte value, byte fill)
    {
        var count = Count;
        var at = Offsets.IndexOf((ushort)offset);
        if (at >= 0)
        {
            _slot[ValuesStart + at] = value;
            return true;
        }

        if (value == fill)
            return true;
        if (count == Capacity)
            return false;
        MemoryMarshal.Cast<byte, ushort>(_slot[..ValuesStart])[count] = (ushort)offset;
        _slot[ValuesStart + count] = value;
        _slot[CountAt] = (byte)(count + 1);
        return true;
    }

    /// <summary>Writes the patched bytes that fall into <paramref name="destination"/>, which starts at page offset <paramref name="offset"/>.</summary>
    public void ApplyTo(Span<byte> destination, int offset)
    {
        var offsets = Offsets;
        for (var i = 0; i < offsets.Length; i++)
        {
            var at = offsets[i] - offset;
            if ((uint)at < (uint)destination.Length)
                destination[at] = _slot[ValuesStart + i];
        }
    }

    public void CopyTo(PagePatch destination) => _slot.CopyTo(destination._slot);
}
