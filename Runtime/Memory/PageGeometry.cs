namespace CowGuard.VmModel;

/// <summary>Page and huge-page sizes of the modelled machine (x86_64).</summary>
public static class PageGeometry
{
    /// <summary>PAGE_SIZE.</summary>
    public const int PageSize = 4096;

    /// <summary>PAGE_SHIFT.</summary>
    public const int PageShift = 12;

    /// <summary>HPAGE_PMD_ORDER: a PMD maps 512 base pages (2 MiB).</summary>
    public const int PmdOrder = 9;

    /// <summary>The order of a 1 GiB (PUD-sized) hugetlb page.</summary>
    public const int PudOrder = 18;

    /// <summary>2 MiB.</summary>
    public const ulong PmdSize = 1UL << (PageShift + PmdOrder);

    /// <summary>1 GiB.</summary>
    public const ulong PudSize = 1UL << (PageShift + PudOrder);

    /// <summary>The folio orders anonymous THP can use on x86_64: 16 KiB (order 2) up to 2 MiB (order 9).</summary>
    public static IReadOnlyList<int> ThpOrders { get; } = [2, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>Bytes of a folio of the given order.</summary>
    public static ulong OrderSize(int order) => (ulong)PageSize << order;

    internal static bool IsPageAligned(ulong value) => (value & (PageSize - 1)) == 0;

    internal static ulong AlignDown(ulong value, ulong alignment) => value & ~(alignment - 1);

    internal static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
