namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>
    /// vmsplice(2) without SPLICE_F_GIFT: the pipe takes FOLL_GET references on the user pages
    /// (iov_iter_get_pages → get_user_pages_fast with no flags) instead of copying the bytes. The references never
    /// break COW, so the pipe may later read data another process wrote (CVE-2020-29374 before 5.9).
    /// </summary>
    /// <param name="pipe">The pipe to fill.</param>
    /// <param name="address">Start of the user range (any alignment).</param>
    /// <param name="length">Length in bytes.</param>
    /// <returns>Bytes spliced: short when the pipe has too few free buffers or a page after the first cannot be
    /// referenced; 0 when the pipe is full.</returns>
    [PageReferenceApi(PageReferenceKind.Get)]
    public long Vmsplice(Pipe pipe, ulong address, ulong length)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        long spliced;
        using (Machine.EnterOperation())
        using (pipe.Mutex.Lock()) // vmsplice_to_pipe: pipe_lock around iter_to_pipe, whose GUP may take mmap_lock
        {
            EnsureAlive("vmsplice");
            CheckUserRange(address, length);
            if (pipe.FreeBuffers == 0 || length == 0)
                return 0;
            spliced = SpliceLocked(pipe, address, length);
        }

        Machine.AfterOperation();
        return spliced;
    }

    private long SpliceLocked(Pipe pipe, ulong address, ulong length)
    {
        var firstPage = PageGeometry.AlignDown(address, PageGeometry.PageSize);
        var lastPage = PageGeometry.AlignDown(address + length - 1, PageGeometry.PageSize);
        var pages = (int)Math.Min((lastPage - firstPage) / PageGeometry.PageSize + 1, (ulong)pipe.FreeBuffers);
        // iter_to_pipe keeps the pages iov_iter_get_pages2 returned before a failing one: a short splice; only a
        // failure on the first page is the call's error (vmsplice returns -EFAULT then).
        var references = Machine.GupEngine.Take(this, firstPage, pages, FollFlags.None, PageReferenceKind.Get, GupWalk.Fast);
        long spliced = 0;
        for (var i = 0; i < references.Count; i++)
        {
            var pageStart = firstPage + ((ulong)i << PageGeometry.PageShift);
            var from = Math.Max(address, pageStart);
            var to = Math.Min(address + length, pageStart + PageGeometry.PageSize);
            pipe.Append(references.Pages[i], (int)(from - pageStart), (int)(to - from));
            spliced += (long)(to - from);
        }

        PageRefArrays.Return(references.Pages, references.Count);
        return spliced;
    }

    /// <summary>io_uring_register_buffers for one buffer: pins it FOLL_WRITE | FOLL_LONGTERM (a COW-breaking pin).</summary>
    /// <param name="address">Page-aligned buffer start.</param>
    /// <param name="length">Buffer length (rounded up to pages).</param>
    public IoUringFixedBuffer IoUringRegisterBuffer(ulong address, ulong length)
    {
        EnsureAlive("io_uring_register_buffers");
        CheckRangeArguments(address, ref length);
        var pages = (int)(length >> PageGeometry.PageShift);
        var pins = Gup.PinUserPages(this, address, pages, FollFlags.Write | FollFlags.Longterm);
        return new IoUringFixedBuffer(pins);
    }
}
