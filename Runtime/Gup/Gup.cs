namespace CowGuard.VmModel;

/// <summary>
/// The get_user_pages family (mm/gup.c). Every entry point takes references on nrPages pages
/// starting at a page-aligned address and returns a handle through which a device reads and writes those physical
/// pages. Without <see cref="FollFlags.Write"/> or <see cref="FollFlags.BreakCow"/> a reference may end up on the
/// wrong side of a later COW — CowGuard's analyzer requires a [WrongSideCowOk] justification for such calls.
/// <para>
/// Errors are the kernel's: a page outside every VMA, or one the VMA's protection does not allow (check_vma_flags),
/// is <see cref="BadAddressException"/> (EFAULT returned, no signal); a fault that runs out of memory is
/// <see cref="OutOfVmMemoryException"/>. The kernel returns a short count when a page after the first fails. The
/// plain entry points behave like the in-kernel callers that need every page (io_pin_pages, most drivers): a short
/// walk is undone and reported as <see cref="BadAddressException"/> with <see cref="BadAddressException.PagesTaken"/>
/// and the stopping error as its inner exception. The <c>*Partial</c> entry points return the short count itself: a
/// handle with fewer pages and <see cref="PageReferenceHandle.StoppedBy"/> (the vmsplice / iov_iter style).
/// </para>
/// </summary>
public static class Gup
{
    /// <summary>get_user_pages: slow walk, FOLL_GET.</summary>
    /// <param name="process">The mm whose pages are referenced.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPages(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Slow, partial: false);

    /// <summary>get_user_pages with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesPartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Slow, partial: true);

    /// <summary>get_user_pages_fast: lockless walk, falling back to the slow walk when it must fault or unshare.</summary>
    /// <param name="process">The mm whose pages are referenced.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesFast(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Fast, partial: false);

    /// <summary>get_user_pages_fast with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesFastPartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Fast, partial: true);

    /// <summary>get_user_pages_remote: slow walk on another process's mm (ptrace, process_vm_readv).</summary>
    /// <param name="process">The mm whose pages are referenced.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesRemote(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Remote, partial: false);

    /// <summary>get_user_pages_remote with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesRemotePartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Remote, partial: true);

    /// <summary>pin_user_pages: slow walk, FOLL_PIN.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPages(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Slow, partial: false);

    /// <summary>pin_user_pages with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesPartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Slow, partial: true);

    /// <summary>pin_user_pages_fast.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesFast(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Fast, partial: false);

    /// <summary>pin_user_pages_fast with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesFastPartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Fast, partial: true);

    /// <summary>pin_user_pages_remote.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesRemote(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Remote, partial: false);

    /// <summary>pin_user_pages_remote with the kernel's short count: the pages up to the first that fails (see <see cref="PageReferenceHandle.StoppedBy"/>); throws only when the first page fails.</summary>
    /// <param name="process">The mm.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages asked for.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesRemotePartial(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Remote, partial: true);

    /// <summary>
    /// follow_page: looks one page up without faulting and takes a FOLL_GET reference, or returns null when the page
    /// is not present (or a write / BreakCow would need a fault).
    /// </summary>
    /// <param name="process">The mm.</param>
    /// <param name="address">Page-aligned user address.</param>
    /// <param name="flags">GUP flags (FOLL_LONGTERM is invalid: follow_page cannot pin).</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences? FollowPage(VmProcess process, ulong address, [GupFlags] FollFlags flags)
    {
        ArgumentNullException.ThrowIfNull(process);
        PageRef? page;
        using (process.Machine.EnterOperation())
        using (process.MmapLock.Read())
            page = process.Machine.GupEngine.FollowPage(process, address, flags);
        process.Machine.AfterOperation();
        return page is { } found ? new PageReferences(process, address, [found], 1, flags) : null;
    }

    /// <summary>put_page on every page of a FOLL_GET handle. Throws on pinned pages or a second release.</summary>
    /// <param name="references">The handle to release.</param>
    [ReleasesPageReferences(PageReferenceKind.Get)]
    public static void PutPages(PageReferenceHandle references)
    {
        ArgumentNullException.ThrowIfNull(references);
        references.Release(PageReferenceKind.Get, makeDirty: false);
    }

    /// <summary>unpin_user_pages_dirty_lock: unpins (optionally dirtying first). Throws on FOLL_GET handles or a second release.</summary>
    /// <param name="pins">The handle to release.</param>
    /// <param name="makeDirty">Mark the pages dirty (the device wrote to them).</param>
    [ReleasesPageReferences(PageReferenceKind.Pin)]
    public static void UnpinUserPages(PageReferenceHandle pins, bool makeDirty = false)
    {
        ArgumentNullException.ThrowIfNull(pins);
        pins.Release(PageReferenceKind.Pin, makeDirty);
    }

    private static PageReferences Get(VmProcess process, ulong start, int nrPages, FollFlags flags, GupWalk walk, bool partial)
    {
        var taken = Take(process, start, nrPages, flags, PageReferenceKind.Get, walk, partial);
        return new PageReferences(process, start, taken.Pages, taken.Count, flags, taken.StoppedBy);
    }

    private static PinnedPages Pin(VmProcess process, ulong start, int nrPages, FollFlags flags, GupWalk walk, bool partial)
    {
        var taken = Take(process, start, nrPages, flags, PageReferenceKind.Pin, walk, partial);
        return new PinnedPages(process, start, taken.Pages, taken.Count, flags, taken.StoppedBy);
    }

    /// <summary>
    /// The walk, and for callers that need every page the check they all make: <c>if (ret != nr_pages)</c> unpin the
    /// <c>ret</c> pages taken and fail with -EFAULT (io_pin_pages in io_uring/rsrc.c).
    /// </summary>
    private static GupTaken Take(VmProcess process, ulong start, int nrPages, FollFlags flags, PageReferenceKind kind, GupWalk walk, bool partial)
    {
        ArgumentNullException.ThrowIfNull(process);
        var engine = process.Machine.GupEngine;
        GupTaken taken;
        using (process.Machine.EnterOperation())
        {
            taken = engine.Take(process, start, nrPages, flags, kind, walk);
            if (taken.StoppedBy is not null && !partial)
            {
                engine.ReleaseAll(process, start, taken.Pages.AsSpan(0, taken.Count), kind, makeDirty: false);
                PageRefArrays.Return(taken.Pages, taken.Count);
            }
        }

        process.Machine.AfterOperation();
        if (taken.StoppedBy is { } stop && !partial)
        {
            var failed = start + ((ulong)taken.Count << PageGeometry.PageShift);
            var name = kind == PageReferenceKind.Pin ? "pin_user_pages" : "get_user_pages";
            throw new BadAddressException(failed, $"EFAULT: {name} took {taken.Count} of {nrPages} pages and the caller needs all ({stop.Cause})", taken.Count, stop);
        }

        return taken;
    }
}
