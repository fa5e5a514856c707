using CowGuard.VmModel;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>The kinds of memory the generated sequences run on; each slot is one mapping of the first process.</summary>
internal enum SlotKind
{
    /// <summary>cow.c's base page backing: mmap + MADV_NOHUGEPAGE + memset.</summary>
    BasePage,

    /// <summary>A PMD-mapped 2 MiB THP (THP enabled for 2M, MADV_HUGEPAGE, populated by a write fault).</summary>
    Thp,

    /// <summary>A private 2 MiB hugetlb page from a pool of <see cref="Slots.HugetlbPool"/>.</summary>
    Hugetlb,
}

/// <summary>The slot layout shared by the runner and the scenario writer.</summary>
internal static class Slots
{
    public const int HugetlbPool = 8;

    /// <summary>Two base pages (so KSM has something to merge), one THP, one hugetlb page.</summary>
    public static readonly SlotKind[] Layout = [SlotKind.BasePage, SlotKind.BasePage, SlotKind.Thp, SlotKind.Hugetlb];

    public static ulong Length(SlotKind kind) => kind == SlotKind.BasePage ? PageGeometry.PageSize : PageGeometry.PmdSize;

    public static string LengthText(SlotKind kind) => kind == SlotKind.BasePage ? "4K" : "2M";
}
