namespace CowGuard.VmModel;

/// <summary>
/// The pages a GUP call returned, seen the way a device sees them: reads and writes go to the referenced physical
/// pages, whatever the process maps at those addresses by now. Release exactly once, through the API that matches
/// <see cref="Kind"/> (<see cref="Gup.PutPages"/> or <see cref="Gup.UnpinUserPages"/>), or by disposing. Device accesses
/// and the release serialise on the handle (a lock of its own), so an access from another thread either happens while
/// the references are held or fails as a use after release. The page array may come from a pool
/// (<see cref="PageRefArrays"/>); it goes back on release, after which the handle never reads it again.
/// </summary>
public abstract class PageReferenceHandle : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PageRef[] _pages;
    private readonly int _count;
    private bool _released;

    private protected PageReferenceHandle(VmProcess process, ulong start, PageRef[] pages, int count, FollFlags flags, VmException? stoppedBy)
    {
        Process = process;
        Start = start;
        _pages = pages;
        _count = count;
        Flags = flags;
        StoppedBy = stoppedBy;
    }

    /// <summary>Whether the handle holds plain references or pins.</summary>
    public abstract PageReferenceKind Kind { get; }

    /// <summary>The process whose pages were referenced.</summary>
    public VmProcess Process { get; }

    /// <summary>The user address of the first page.</summary>
    public ulong Start { get; }

    /// <summary>The flags the caller passed.</summary>
    public FollFlags Flags { get; }

    /// <summary>The number of pages held: fewer than asked for when a <c>*Partial</c> call stopped early.</summary>
    public int PageCount => _count;

    /// <summary>
    /// For a <c>*Partial</c> GUP that took fewer pages than asked for: the error the walk stopped on at the first page
    /// not taken (address <see cref="Start"/> + <see cref="Length"/>) — what the kernel would have returned had that
    /// page come first. Null when every page asked for was taken.
    /// </summary>
    public VmException? StoppedBy { get; }

    /// <summary>True when the handle holds fewer pages than the call asked for (see <see cref="StoppedBy"/>).</summary>
    public bool IsShort => StoppedBy is not null;

    /// <summary>The number of bytes covered.</summary>
    public long Length => (long)_count * PageGeometry.PageSize;

    /// <summary>The referenced pages (quiescent machine only: the explorer encodes them).</summary>
    internal ReadOnlySpan<PageRef> HeldPages => _pages.AsSpan(0, _count);

    /// <summary>True once released.</summary>
    public bool IsReleased => Volatile.Read(ref _released);

    /// <summary>The page frame number of the <paramref name="page"/>-th referenced page (compare with
    /// <see cref="VmProcess.Inspect"/> to see whether the process still maps the same physical page).</summary>
    /// <param name="page">Index of the page in the handle.</param>
    public long PageFrameNumber(int page)
    {
        EnterHandle();
        try
        {
            EnsureHeld();
            // The array may be a longer pooled one: the bound is the page count, as it was the array's length.
            if ((uint)page >= (uint)_count)
                throw new IndexOutOfRangeException($"page {page} of a handle holding {_count} pages");
            var reference = _pages[page];
            return reference.Folio.Pfn + reference.Index;
        }
        finally
        {
            ExitHandle();
        }
    }

    /// <summary>A device read (DMA from memory) of one byte.</summary>
    /// <param name="offset">Byte offset from <see cref="Start"/>.</param>
    public byte ReadByte(long offset)
    {
        Span<byte> one = stackalloc byte[1];
        Read(offset, one);
        return one[0];
    }

    /// <summary>A device read (DMA from memory).</summary>
    /// <param name="offset">Byte offset from <see cref="Start"/>.</param>
    /// <param name="destination">Receives the bytes.</param>
    public void Read(long offset, Span<byte> destination)
    {
        var machine = Process.Machine;
        using (machine.EnterOperation())
        {
            EnterHandle();
            try
            {
                EnsureHeld();
                CheckRange(offset, destination.Length);
                var done = 0;
                while (done < destination.Length)
                {
                    var (page, inPage, chunk) = Locate(offset + done, destination.Length - done);
                    page.Folio.ReadBytes(page.Index, inPage, destination.Slice(done, chunk));
                    done += chunk;
                }

                var first = _pages[offset / PageGeometry.PageSize];
                machine.Trace(VmEventKind.DeviceRead, Process, Start + (ulong)offset, machine.Snap(first.Folio, first.Index), null, $"{destination.Length} bytes");
            }
            finally
            {
                ExitHandle();
            }
        }
    }

    /// <summary>A device read into a new array.</summary>
    /// <param name="offset">Byte offset from <see cref="Start"/>.</param>
    /// <param name="length">Number of bytes.</param>
    public byte[] ReadBytes(long offset, int length)
    {
        var bytes = new byte[length];
        Read(offset, bytes);
        return bytes;
    }

    /// <summary>A device write (DMA to memory). Writing into the shared zero page is refused.</summary>
    /// <param name="offset">Byte offset from <see cref="Start"/>.</param>
    /// <param name="source">The bytes.</param>
    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        var machine = Process.Machine;
        using (machine.EnterOperation())
        {
            EnterHandle();
            try
            {
                EnsureHeld();
                CheckRange(offset, source.Length);
                var done = 0;
                while (done < source.Length)
                {
                    var (page, inPage, chunk) = Locate(offset + done, source.Length - done);
                    if (page.Folio.IsZero)
                        throw new InvalidVmArgumentException(Start + (ulong)(offset + done), "device write into the shared zero page");
                    page.Folio.WriteBytes(page.Index, inPage, source.Slice(done, chunk));
                    done += chunk;
                }

                var first = _pages[offset / PageGeometry.PageSize];
                machine.Trace(VmEventKind.DeviceWrite, Process, Start + (ulong)offset, null, machine.Snap(first.Folio, first.Index), $"{source.Length} bytes");
            }
            finally
            {
                ExitHandle();
            }
        }
    }

    /// <summary>Releases the handle the way its kind requires (put_page, or unpin without dirtying).</summary>
    public void Dispose()
    {
        if (!IsReleased)
            Release(Kind, makeDirty: false);
        GC.SuppressFinalize(this);
    }

    internal void Release(PageReferenceKind releaseKind, bool makeDirty)
    {
        var machine = Process.Machine;
        using (machine.EnterOperation())
        {
            EnterHandle();
            try
            {
                if (_released)
                    throw new PageReferenceReleaseException(Start, Kind == PageReferenceKind.Pin ? "double unpin_user_pages" : "double put_page");
                if (releaseKind != Kind)
                {
                    throw new PageReferenceReleaseException(Start, Kind == PageReferenceKind.Pin
                        ? "put_page on pinned pages (FOLL_PIN must be released with unpin_user_pages)"
                        : "unpin_user_pages on FOLL_GET references (release them with put_page)");
                }

                Volatile.Write(ref _released, true);
                machine.GupEngine.ReleaseAll(Process, Start, _pages.AsSpan(0, _count), Kind, makeDirty);
                PageRefArrays.Return(_pages, _count);
            }
            finally
            {
                ExitHandle();
            }
        }

        machine.AfterOperation();
    }

    private void EnterHandle()
    {
        Process.Machine.Lockdep?.Acquire(LockClass.PageReferenceHandle, this, LockNesting.None);
        _gate.Enter();
    }

    private void ExitHandle()
    {
        _gate.Exit();
        Process.Machine.Lockdep?.Release(LockClass.PageReferenceHandle, this);
    }

    private void EnsureHeld()
    {
        if (_released)
            throw new PageReferenceReleaseException(Start, "device access through a released handle (use after put/unpin)");
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new InvalidVmArgumentException(Start + (ulong)Math.Max(offset, 0), $"device access [{offset}, {offset + length}) outside the {Length} referenced bytes");
    }

    private (PageRef Page, int InPage, int Chunk) Locate(long offset, int remaining)
    {
        var page = _pages[offset / PageGeometry.PageSize];
        var inPage = (int)(offset % PageGeometry.PageSize);
        return (page, inPage, Math.Min(PageGeometry.PageSize - inPage, remaining));
    }
}
