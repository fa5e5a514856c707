namespace CowGuard.VmModel;

/// <summary>
/// One base page of a folio: its contents and the per-page state the kernel keeps in each struct page. Contents are
/// stored as a uniform <see cref="Fill"/> byte until a write makes some bytes differ: up to <see cref="PagePatch.Capacity"/>
/// of them go into a 64-byte <see cref="Patch"/>, more give the page a 4 KiB <see cref="Frame"/> (both from
/// <see cref="PageFrames"/>), so a huge model process that was only memset costs a few bytes per page, and one with a
/// few bytes written here and there a cache line per page. The struct holds
/// no object reference, so page tables full of folios cost the garbage collector nothing to scan here.
/// </summary>
internal struct Subpage
{
    /// <summary>The byte every position holds while <see cref="Frame"/> is 0, except those in the <see cref="Patch"/>.</summary>
    public byte Fill;

    /// <summary>The <see cref="PageFrames"/> frame holding the page's bytes once many of them differ from <see cref="Fill"/> (0: none).</summary>
    public int Frame;

    /// <summary>The <see cref="PagePatch"/> holding the few bytes that differ from <see cref="Fill"/> (0: none; never with a frame).</summary>
    public int Patch;

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

    public readonly bool IsUniform => Frame == 0 && Patch == 0;

    public readonly void Read(PageFrames frames, int offset, Span<byte> destination)
    {
        if (Frame != 0)
        {
            frames.Bytes(Frame).Slice(offset, destination.Length).CopyTo(destination);
            return;
        }

        destination.Fill(Fill);
        if (Patch != 0)
            frames.Patch(Patch).ApplyTo(destination, offset);
    }

    public readonly byte ReadByte(PageFrames frames, int offset)
    {
        if (Frame != 0)
            return frames.Bytes(Frame)[offset];
        return Patch != 0 && frames.Patch(Patch).TryRead(offset, out var value) ? value : Fill;
    }

    /// <summary>A one-byte store: into the patch while it has room, otherwise into the frame.</summary>
    public void WriteByte(PageFrames frames, int offset, byte value)
    {
        if (Frame == 0)
        {
            if (Patch == 0)
            {
                if (value == Fill)
                    return;
                Patch = frames.AllocatePatch();
                frames.Patch(Patch).Clear();
            }

            if (frames.Patch(Patch).TrySet(offset, value, Fill))
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
            if (Patch == 0 && source.Length > 0 && IsUniformBytes(source) && source[0] == Fill)
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
            if (Patch == 0 && value == Fill)
                return;
            Materialise(frames);
        }

        frames.Bytes(Frame).Slice(offset, length).Fill(value);
    }

    /// <summary>copy_user_highpage: this page gets the other page's bytes (into a frame or patch of its own, never shared).</summary>
    public void CopyContentsFrom(PageFrames frames, in Subpage source)
    {
        Fill = source.Fill;
        if (source.Frame != 0)
        {
            ReleasePatch(frames);
            if (Frame == 0)
                Frame = frames.Allocate();
            frames.Bytes(source.Frame).CopyTo(frames.Bytes(Frame));
        }
        else if (source.Patch != 0)
        {
            ReleaseFrame(frames);
            if (Patch == 0)
                Patch = frames.AllocatePatch();
            frames.Patch(source.Patch).CopyTo(frames.Patch(Patch));
        }
        else
        {
            ReleaseStorage(frames);
        }
    }

    public void SetUniform(PageFrames frames, byte value)
    {
        Fill = value;
        ReleaseStorage(frames);
    }

    /// <summary>The page is freed (or its swap slot is): its frame or patch goes back to the pool.</summary>
    public void ReleaseStorage(PageFrames frames)
    {
        ReleaseFrame(frames);
        ReleasePatch(frames);
    }

    private void ReleaseFrame(PageFrames frames)
    {
        if (Frame == 0)
            return;
        frames.Free(Frame);
        Frame = 0;
    }

    private void ReleasePatch(PageFrames frames)
    {
        if (Patch == 0)
            return;
        frames.FreePatch(Patch);
        Patch = 0;
    }

    private static bool IsUniformBytes(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(bytes[0]) < 0;

    /// <summary>The page gets a frame holding its bytes (the fill byte, then the patched bytes), and gives back its patch.</summary>
    private void Materialise(PageFrames frames)
    {
        Frame = frames.Allocate();
        var bytes = frames.Bytes(Frame);
        bytes.Fill(Fill);
        if (Patch == 0)
            return;
        frames.Patch(Patch).ApplyTo(bytes, 0);
        ReleasePatch(frames);
    }
}
