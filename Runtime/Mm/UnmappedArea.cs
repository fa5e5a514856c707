namespace CowGuard.VmModel;

/// <summary>
/// get_unmapped_area for an x86-64 mm with the default top-down layout (MMF_TOPDOWN), as mm/mmap.c places a mapping
/// without MAP_FIXED or a hint: the highest free gap below mmap_base that fits (unmapped_area_topdown over the maple
/// tree), so a hole that munmap just made is reused as soon as the request fits into it, and the mapping sits at the
/// top of its gap, directly below the mapping above. Verified against this machine's kernel by
/// Runtime.Tests/Live/AddressLayoutLiveTests (relative addresses of mmap/munmap/mmap sequences).
/// </summary>
internal static class UnmappedArea
{
    /// <summary>mm->mmap_base: the model's fixed top of the mmap area (the kernel's sits below the stack gap and moves
    /// with ASLR; only addresses relative to each other are comparable).</summary>
    public const ulong MmapBase = 0x7f00_0000_0000;

    /// <summary>TASK_SIZE for 4-level paging.</summary>
    public const ulong TaskSize = 0x7fff_ffff_f000;

    /// <summary>vm.mmap_min_addr's default: the lowest address a search may return.</summary>
    private const ulong MmapMinAddr = 0x1_0000;

    /// <summary>
    /// __get_unmapped_area for a mapping of <paramref name="length"/> bytes: hugetlb mappings are aligned to their huge
    /// page size (hugetlb_get_unmapped_area's align_mask); private anonymous mappings whose length is a multiple of
    /// PMD_SIZE are PMD aligned (thp_get_unmapped_area, efa7df3e3bb5 as limited to PMD-multiple lengths by
    /// d4148aeab412); shared and file mappings take the plain search (shmem_get_unmapped_area with shmem THP off).
    /// </summary>
    /// <param name="areas">The mm's VMAs in address order.</param>
    /// <param name="length">Page-aligned length.</param>
    /// <param name="hugetlbOrder">The hugetlb page order, 0 for other mappings.</param>
    /// <param name="privateAnonymous">MAP_PRIVATE | MAP_ANONYMOUS without a file.</param>
    public static ulong Get(IReadOnlyList<VmArea> areas, ulong length, int hugetlbOrder, bool privateAnonymous)
    {
        if (length > TaskSize)
            throw new OutOfVmMemoryException(null, "ENOMEM: mapping longer than the user address space");
        if (hugetlbOrder != 0)
            return Search(areas, length, PageGeometry.OrderSize(hugetlbOrder) - PageGeometry.PageSize);
        if (privateAnonymous && length % PageGeometry.PmdSize == 0 && ThpAligned(areas, length) is { } aligned)
            return aligned;
        return Search(areas, length, alignMask: 0);
    }

    /// <summary>
    /// __thp_get_unmapped_area: search for length + PMD_SIZE, then round up to the PMD boundary inside the padding
    /// (top-down with an already aligned result: the top PMD_SIZE of the padded range). Null when even the padded
    /// length does not fit: the caller retries without the padding.
    /// </summary>
    private static ulong? ThpAligned(IReadOnlyList<VmArea> areas, ulong length)
    {
        var padded = length + PageGeometry.PmdSize;
        if (TryTopDown(areas, padded, alignMask: 0) is not { } ret)
            return null;
        var offSub = (0 - ret) & (PageGeometry.PmdSize - 1);
        return offSub == 0 ? ret + PageGeometry.PmdSize : ret + offSub;
    }

    /// <summary>
    /// arch_get_unmapped_area_topdown. The kernel falls back to a bottom-up search above TASK_UNMAPPED_BASE when the
    /// area below mmap_base is full; the model cannot get there (its page tables are arrays per VMA, so it never maps
    /// the ~127 TiB below its mmap_base) and reports ENOMEM instead.
    /// </summary>
    private static ulong Search(IReadOnlyList<VmArea> areas, ulong length, ulong alignMask) =>
        TryTopDown(areas, length, alignMask)
        ?? throw new OutOfVmMemoryException(null, "ENOMEM: no free address range (get_unmapped_area)");

    /// <summary>
    /// unmapped_area_topdown: the highest gap in [mmap_min_addr, mmap_base) of at least length + align_mask bytes
    /// (vma_iter_area_highest); the mapping ends as high in it as its alignment allows.
    /// </summary>
    private static ulong? TryTopDown(IReadOnlyList<VmArea> areas, ulong length, ulong alignMask)
    {
        var needed = length + alignMask;
        var gapEnd = MmapBase;
        for (var i = areas.Count - 1; i >= 0 && gapEnd > MmapMinAddr; i--)
        {
            var area = areas[i];
            if (area.Start >= gapEnd)
                continue;
            if (area.End < gapEnd && gapEnd - Math.Max(area.End, MmapMinAddr) >= needed)
                return PlaceAtTop(gapEnd, length, alignMask);
            gapEnd = area.Start;
        }

        return gapEnd > MmapMinAddr && gapEnd - MmapMinAddr >= needed ? PlaceAtTop(gapEnd, length, alignMask) : null;
    }

    private static ulong PlaceAtTop(ulong gapEnd, ulong length, ulong alignMask)
    {
        var start = gapEnd - length;
        return start - (start & alignMask);
    }
}
