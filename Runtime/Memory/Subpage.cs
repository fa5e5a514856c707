namespace CowGuard.VmModel;

/// <summary>
/// One base page of a folio: its contents and the per-page state the kernel keeps in each struct page. Contents are
/// stored as a uniform <see cref="Fill"/> byte until a non-uniform write gives the page a <see cref="Frame"/> from
/// <see cref="PageFrames"/>, so a huge model process that was only memset costs a few bytes per page. The struct holds
/// no object reference, so page tables full of folios cost the garbage collector nothing to scan here.
/// </summary>
internal struct Subpage
{
    /// <summary>The byte every position holds while <see cref="Frame"/> is 0.</summary>
    public byte Fill;

    /// <summary>The <see cref="PageFrames"/> frame holding the page's bytes once they stopped being uniform (0: none).</summary>
    public int Frame;

    /// <summary>PTE mappings of this page (page->_mapcount + 1, without the folio's entire (PMD) mapcount).</summary>
    public int MapCount;

    /// <summary>PG_anon_exclusive (per subpage for THP, head only for hugetlb). Only eras that track it set it.</summary>
    public bool AnonExclusive;

    /// <summary>The swap slot (1-based; 0 = none) holding this page's copy while the folio is in the swapcache.</summary>
    public int SwapSlot;

    /// <summary>FOLL_GET references held on this page by GUP handles and pipe buffers (for refcount accounting).</summary>
    public int Gets;

    /// <summary>
    /// FOLL_PIN pins held on this page of a large folio (for pin accounting and the pinned ⇒ exclusive invariant). A
    /// small folio's pins are counted in its refcount word instead (<see cref="Folio.GupPins"/>); this stays 0 there.
    /// </summary>
    public int Pins;

    public readonly bool IsUniform => Frame == 0;

    public readonly void Read(PageFrames frames, int offset, Span<byte> destination)
    {
        if (Frame == 0)
            destination.Fill(Fill);
        else
            frames.Bytes(Frame).Slice(offset, destination.Length).CopyTo(destination);
    }

    public readonly byte ReadByte(PageFrames frames, int offset) => Frame == 0 ? Fill : frames.Bytes(Frame)[offset];

    /// <summary>A one-byte store: what <see cref="Write"/> does with a one-byte source.</summary>
    public void WriteByte(PageFrames frames, int offset, byte value)
    {
        if (Frame == 0)
        {
            if (value == Fill)
                return;
            Materialise(frames);
        }

        frames.Bytes(Frame)[offset] = value;
    }

    public void Write(PageFrames frames, int offset, ReadOnlySpan<byte> source)
    {
        if (offset == 0 && source.Length == PageGeometry.PageSize && IsUniformBytes(source))
        {
            SetUniform(frames, source[0]);
            return;
        }

        if (Frame == 0)
        {
            if (source.Length > 0 && IsUniformBytes(source) && source[0] == Fill)
                return;
            Materialise(frames);
        }

        source.CopyTo(frames.Bytes(Frame)[offset..]);
    }

    public void FillRange(PageFrames frames, int offset, int length, byte value)
    {
        if (offset == 0 && length == PageGeometry.PageSize)
        {
            SetUniform(frames, value);
            return;
        }

        if (Frame == 0)
        {
            if (value == Fill)
                return;
            Materialise(frames);
        }

        frames.Bytes(Frame).Slice(offset, length).Fill(value);
    }

    /// <summary>copy_user_highpage: this page gets the other page's bytes (into a frame of its own, never shared).</summary>
    public void CopyContentsFrom(PageFrames frames, in Subpage source)
    {
        Fill = source.Fill;
        if (source.Frame == 0)
        {
            ReleaseFrame(frames);
            return;
        }

        if (Frame == 0)
            Frame = frames.Allocate();
        frames.Bytes(source.Frame).CopyTo(frames.Bytes(Frame));
    }

    public void SetUniform(PageFrames frames, byte value)
    {
        Fill = value;
        ReleaseFrame(frames);
    }

    /// <summary>The page is freed (or its swap slot is): its frame goes back to the pool.</summary>
    public void ReleaseFrame(PageFrames frames)
    {
        if (Frame == 0)
            return;
        frames.Free(Frame);
        Frame = 0;
    }

    private static bool IsUniformBytes(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(bytes[0]) < 0;

    private void Materialise(PageFrames frames)
    {
        Frame = frames.Allocate();
        frames.Bytes(Frame).Fill(Fill);
    }
}
