namespace CowGuard.VmModel;

/// <summary>
/// The folio's bytes, under the <see cref="LockClass.PageContents"/> lock (a spinlock word in the folio, cheaper than
/// a monitor). User loads and stores (under the PTL that maps the page), device DMA through GUP handles, pipe reads,
/// page-cache I/O and every copy (COW, fork, swap, collapse, KSM) go through here: a page is stored as a fill byte
/// until a partial write gives it a patch or frame (<see cref="PageFrames"/>), so two unlocked partial writes could both
/// take one and one of them would be lost. Freeing the folio gives its frames back under the same lock, so a reader that
/// still looks at a folio freed under it (KSM compares pages it holds no reference on) sees a uniform page, never a
/// frame that already belongs to another page.
/// </summary>
internal sealed partial class Folio
{
    private int _contentsLocked;

    public void ReadBytes(int index, int offset, Span<byte> destination)
    {
        using (LockContents())
        {
            Pages[index].Read(_frames, offset, destination);
        }
    }

    public byte ReadByte(int index, int offset)
    {
        using (LockContents())
        {
            return Pages[index].ReadByte(_frames, offset);
        }
    }

    public void WriteByte(int index, int offset, byte value)
    {
        using (LockContents())
        {
            Pages[index].WriteByte(_frames, offset, value);
        }
    }

    public void WriteBytes(int index, int offset, ReadOnlySpan<byte> source)
    {
        using (LockContents())
        {
            Pages[index].Write(_frames, offset, source);
        }
    }

    public void FillBytes(int index, int offset, int length, byte value)
    {
        using (LockContents())
        {
            Pages[index].FillRange(_frames, offset, length, value);
        }
    }

    /// <summary>copy_user_highpage / copy_user_large_folio into a fresh folio that nobody else can reach yet.</summary>
    public void CopyPagesTo(int index, Folio destination, int destinationIndex, int count)
    {
        using (LockContents())
        {
            for (var i = 0; i < count; i++)
                destination.Pages[destinationIndex + i].CopyContentsFrom(_frames, Pages[index + i]);
        }
    }

    /// <summary>swap_writepage: one page's bytes into a swap slot (the caller holds swap_lock).</summary>
    public void CopyPageTo(int index, ref Subpage destination)
    {
        using (LockContents())
        {
            destination.CopyContentsFrom(_frames, Pages[index]);
        }
    }

    /// <summary>swap_read_folio: one page's bytes from a swap slot into this fresh folio (the caller holds swap_lock).</summary>
    public void CopyPageFrom(int index, in Subpage source)
    {
        using (LockContents())
        {
            Pages[index].CopyContentsFrom(_frames, source);
        }
    }

    /// <summary>The folio is freed: every frame and patch of its pages goes back to <see cref="PageFrames"/>.</summary>
    public void ReleaseFrames()
    {
        using (LockContents())
        {
            foreach (ref var page in Pages)
                page.ReleaseStorage(_frames);
        }
    }

    /// <summary>For KSM's trees: a uniform page's fill byte, otherwise a hash of its bytes (confirmed later with memcmp).</summary>
    public long ContentFingerprint(int index, out bool uniform)
    {
        using (LockContents())
        {
            ref readonly var page = ref Pages[index];
            uniform = page.IsUniform;
            if (uniform)
                return page.Fill;
            var hash = new HashCode();
            if (page.Frame != 0)
            {
                hash.AddBytes(_frames.Bytes(page.Frame));
            }
            else
            {
                // A patched page hashes as the 4096 bytes it holds, like a frame with the same bytes.
                Span<byte> bytes = stackalloc byte[PageGeometry.PageSize];
                page.Read(_frames, 0, bytes);
                hash.AddBytes(bytes);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>
    /// Where page <paramref name="index"/>'s bytes are now, for <see cref="PageFrames.Prefetch"/>: a patch id, a frame
    /// id negated, or 0 for a uniform page. Read without the contents lock: the caller only caches it as a hint.
    /// </summary>
    public int ContentHint(int index)
    {
        ref readonly var page = ref Pages[index];
        return page.Frame != 0 ? -page.Frame : page.Patch;
    }

    /// <summary>Takes the contents lock until the scope is disposed.</summary>
    private ContentsScope LockContents()
    {
        EnterContents();
        return new ContentsScope(this);
    }

    private readonly ref struct ContentsScope(Folio folio)
    {
        public void Dispose() => folio.ExitContents();
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
