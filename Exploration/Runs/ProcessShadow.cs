namespace CowGuard.Exploration;

/// <summary>
/// What one process is entitled to see in each slot: the bytes it last wrote or inherited (<see cref="Expected"/>,
/// null when unmapped) and every value it ever wrote, inherited or legitimately received (<see cref="Known"/>).
/// Values are unique per write, so a value outside <see cref="Known"/> came from another process.
/// </summary>
internal sealed class ProcessShadow
{
    public ProcessShadow(int slots)
    {
        Expected = new byte?[slots];
        Known = new ByteSet[slots];
        for (var slot = 0; slot < slots; slot++)
        {
            Known[slot].Add(0);
        }

        Generation = new int[slots];
    }

    private ProcessShadow(ProcessShadow parent)
    {
        Expected = (byte?[])parent.Expected.Clone();
        Known = (ByteSet[])parent.Known.Clone();
        Generation = new int[parent.Generation.Length];
    }

    public byte?[] Expected { get; }

    public ByteSet[] Known { get; }

    /// <summary>Bumped whenever the slot's mapping is torn down, so references taken before no longer promise coherence.</summary>
    public int[] Generation { get; }

    public bool Alive { get; set; } = true;

    /// <summary>fork(): the child inherits the parent's view of every slot (copy_page_range).</summary>
    public ProcessShadow Inherit() => new(this);

    public void Wrote(int slot, byte value)
    {
        Expected[slot] = value;
        Known[slot].Add(value);
    }

    public void Unmapped(int slot)
    {
        Expected[slot] = null;
        Generation[slot]++;
    }

    /// <summary>MADV_DONTNEED on private anonymous memory: the next access faults in a zero-filled page.</summary>
    public void Zapped(int slot)
    {
        Expected[slot] = 0;
        Generation[slot]++;
    }

    public void Exited()
    {
        Alive = false;
        for (var slot = 0; slot < Expected.Length; slot++)
        {
            Unmapped(slot);
        }
    }
}
