namespace CowGuard.VmModel;

/// <summary>
/// The folio's bytes, under the <see cref="LockClass.PageContents"/> lock (a spinlock in the folio: a monitor would
/// need a sync block, because the allocator's live set has already put a hash code in every folio's header). User loads and
/// stores (under the PTL that maps the page), device DMA through GUP handles, pipe reads, page-cache I/O and every
/// copy (COW, fork, swap, collapse, KSM) go through here: a page is stored as a fill byte until a partial write gives
/// it an array, so two unlocked partial writes could both create the array and one of them would be lost.
/// </summary>
internal sealed partial class Folio
{
    private int _contentsLocked;

    public void ReadBytes(int index, int offset, Span<byte> destination)
    {
        EnterContents();
        try
        {
            Pages[index].Read(offset, destination);
        }
        finally
        {
            ExitContents();
        }
    }

    public void WriteBytes(int index, int offset, ReadOnlySpan<byte> source)
    {
        EnterContents();
        try
        {
            Pages[index].Write(offset, source);
        }
        finally
        {
            ExitContents();
        }
    }

    public void FillBytes(int index, int offset, int length, byte value)
    {
        EnterContents();
        try
        {
            Pages[index].FillRange(offset, length, value);
        }
        finally
        {
            ExitContents();
        }
    }

    /// <summary>copy_user_highpage / copy_user_large_folio into a fresh folio that nobody else can reach yet.</summary>
    public void CopyPagesTo(int index, Folio destination, int destinationIndex, int count)
    {
        EnterContents();
        try
        {
            for (var i = 0; i < count; i++)
                destination.Pages[destinationIndex + i].CopyContentsFrom(Pages[index + i]);
        }
        finally
        {
            ExitContents();
        }
    }

    /// <summary>swap_writepage: one page's bytes into a swap slot (the caller holds swap_lock).</summary>
    public void CopyPageTo(int index, ref Subpage destination)
    {
        EnterContents();
        try
        {
            destination.CopyContentsFrom(Pages[index]);
        }
        finally
        {
            ExitContents();
        }
    }

    /// <summary>For KSM's trees: a uniform page's fill byte, otherwise a hash of its bytes (confirmed later with memcmp).</summary>
    public long ContentFingerprint(int index, out bool uniform)
    {
        EnterContents();
        try
        {
            var data = Pages[index].Data;
            uniform = data is null;
            if (data is null)
                return Pages[index].Fill;
            var hash = new HashCode();
            hash.AddBytes(data);
            return hash.ToHashCode();
        }
        finally
        {
            ExitContents();
        }
    }

    private void EnterContents()
    {
        _lockdep?.Acquire(LockClass.PageContents, this, LockNesting.None);
        if (Interlocked.CompareExchange(ref _contentsLocked, 1, 0) == 0)
            return;
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _contentsLocked, 1, 0) != 0)
            spin.SpinOnce();
    }

    private void ExitContents()
    {
        Volatile.Write(ref _contentsLocked, 0);
        _lockdep?.Release(LockClass.PageContents, this);
    }
}
