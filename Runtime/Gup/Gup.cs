namespace CowGuard.VmModel;

/// <summary>
/// The get_user_pages family (mm/gup.c). Every entry point takes references on nrPages pages
/// starting at a page-aligned address and returns a handle through which a device reads and writes those physical
/// pages. Without <see cref="FollFlags.Write"/> or <see cref="FollFlags.BreakCow"/> a reference may end up on the
/// wrong side of a later COW — CowGuard's analyzer requires a [WrongSideCowOk] justification for such calls.
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
        Get(process, start, nrPages, flags, GupWalk.Slow);

    /// <summary>get_user_pages_fast: lockless walk, falling back to the slow walk when it must fault or unshare.</summary>
    /// <param name="process">The mm whose pages are referenced.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesFast(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Fast);

    /// <summary>get_user_pages_remote: slow walk on another process's mm (ptrace, process_vm_readv).</summary>
    /// <param name="process">The mm whose pages are referenced.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Get)]
    public static PageReferences GetUserPagesRemote(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Get(process, start, nrPages, flags, GupWalk.Remote);

    /// <summary>pin_user_pages: slow walk, FOLL_PIN.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPages(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Slow);

    /// <summary>pin_user_pages_fast.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesFast(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Fast);

    /// <summary>pin_user_pages_remote.</summary>
    /// <param name="process">The mm whose pages are pinned.</param>
    /// <param name="start">Page-aligned user address.</param>
    /// <param name="nrPages">Number of pages.</param>
    /// <param name="flags">GUP flags.</param>
    [PageReferenceApi(PageReferenceKind.Pin)]
    public static PinnedPages PinUserPagesRemote(VmProcess process, ulong start, int nrPages, [GupFlags] FollFlags flags) =>
        Pin(process, start, nrPages, flags, GupWalk.Remote);

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
        return page is { } found ? new PageReferences(process, address, [found], flags) : null;
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

    private static PageReferences Get(VmProcess process, ulong start, int nrPages, FollFlags flags, GupWalk walk)
    {
        ArgumentNullException.ThrowIfNull(process);
        PageRef[] pages;
        using (process.Machine.EnterOperation())
            pages = process.Machine.GupEngine.Take(process, start, nrPages, flags, PageReferenceKind.Get, walk);
        process.Machine.AfterOperation();
        return new PageReferences(process, start, pages, flags);
    }

    private static PinnedPages Pin(VmProcess process, ulong start, int nrPages, FollFlags flags, GupWalk walk)
    {
        ArgumentNullException.ThrowIfNull(process);
        PageRef[] pages;
        using (process.Machine.EnterOperation())
            pages = process.Machine.GupEngine.Take(process, start, nrPages, flags, PageReferenceKind.Pin, walk);
        process.Machine.AfterOperation();
        return new PinnedPages(process, start, pages, flags);
    }
}
