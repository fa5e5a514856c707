namespace CowGuard.VmModel;

/// <summary>
/// One base page of a folio: its contents and the per-page state the kernel keeps in each struct page. Contents are
/// stored as a uniform <see cref="Fill"/> byte until a non-uniform write materialises <see cref="Data"/>, so a huge
/// model process that was only memset costs a few bytes per page.
/// </summary>
internal struct Subpage
{
    /// <summary>The byte every position holds while <see cref="Data"/> is null.</summary>
    public byte Fill;

    /// <summary>The page's bytes once they stopped being uniform.</summary>
    public byte[]? Data;

    /// <summary>PTE mappings of this page (page->_mapcount + 1, without the folio's entire (PMD) mapcount).</summary>
    public int MapCount;

    /// <summary>PG_anon_exclusive (per subpage for THP, head only for hugetlb). Only eras that track it set it.</summary>
    public bool AnonExclusive;

    /// <summary>The swap slot (1-based; 0 = none) holding this page's copy while the folio is in the swapcache.</summary>
    public int SwapSlot;

    /// <summary>FOLL_GET references held on this page by GUP handles and pipe buffers (for refcount accounting).</summary>
    public int Gets;

    /// <summary>FOLL_PIN pins held on this page (for pin accounting and the pinned ⇒ exclusive invariant).</summary>
    public int Pins;

    public readonly byte ReadByte(int offset) => Data is null ? Fill : Data[offset];

    public readonly void Read(int offset, Span<byte> destination)
    {
        if (Data is null)
            destination.Fill(Fill);
        else
            Data.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    public void Write(int offset, ReadOnlySpan<byte> source)
    {
        if (offset == 0 && source.Length == PageGeometry.PageSize && IsUniform(source))
        {
            SetUniform(source[0]);
            return;
        }

        if (Data is null)
        {
            if (source.Length > 0 && IsUniform(source) && source[0] == Fill)
                return;
            Data = new byte[PageGeometry.PageSize];
            Data.AsSpan().Fill(Fill);
        }

        source.CopyTo(Data.AsSpan(offset));
    }

    public void FillRange(int offset, int length, byte value)
    {
        if (offset == 0 && length == PageGeometry.PageSize)
        {
            SetUniform(value);
            return;
        }

        if (Data is null)
        {
            if (value == Fill)
                return;
            Data = new byte[PageGeometry.PageSize];
            Data.AsSpan().Fill(Fill);
        }

        Data.AsSpan(offset, length).Fill(value);
    }

    /// <summary>copy_user_highpage: the new page gets the old page's bytes (shared byte[] is never aliased).</summary>
    public void CopyContentsFrom(in Subpage source)
    {
        Fill = source.Fill;
        Data = source.Data is null ? null : (byte[])source.Data.Clone();
    }

    public void SetUniform(byte value)
    {
        Fill = value;
        Data = null;
    }

    private static bool IsUniform(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(bytes[0]) < 0;
}
