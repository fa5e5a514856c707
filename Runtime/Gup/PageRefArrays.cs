using System.Buffers;

namespace CowGuard.VmModel;

/// <summary>
/// The page arrays of GUP walks. A long walk's array comes from a shared pool and goes back when its handle is
/// released (io_uring and drivers kvmalloc one per registration, but a managed array of 16 bytes per page is a
/// large-object-heap allocation from ~5,000 pages on, and a new one per call costs gen-2 collections and fresh memory
/// the process must fault in). Short walks, the common case, get an exact array. A pooled array may be longer than
/// the walk; its users carry the page count. Arrays are cleared before they go back, so a pooled array keeps no folio
/// alive.
/// </summary>
internal static class PageRefArrays
{
    /// <summary>From this many pages on, arrays are pooled.</summary>
    private const int PooledFrom = 64;

    public static PageRef[] Rent(int pages) => pages >= PooledFrom ? ArrayPool<PageRef>.Shared.Rent(pages) : new PageRef[pages];

    /// <summary>Gives back an array from <see cref="Rent"/> whose first <paramref name="used"/> entries were filled.</summary>
    public static void Return(PageRef[] pages, int used)
    {
        if (pages.Length < PooledFrom)
            return;
        Array.Clear(pages, 0, used);
        ArrayPool<PageRef>.Shared.Return(pages);
    }
}
