using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>The kinds of memory a run's slots are made of; each slot is one mapping of the first process.</summary>
public enum SlotKind
{
    /// <summary>cow.c's base page backing: mmap + MADV_NOHUGEPAGE + memset.</summary>
    BasePage,

    /// <summary>A PMD-mapped 2 MiB THP (THP enabled for 2M, MADV_HUGEPAGE, populated by a write fault).</summary>
    Thp,

    /// <summary>A private 2 MiB hugetlb page from the universe's hugetlb pool.</summary>
    Hugetlb,
}

/// <summary>
/// What a run starts from and how far the explorer lets it grow: process <c>p0</c> with one mapping per slot, each
/// filled with 1, on a machine with a hugetlb pool and a swap device; at most <see cref="MaxProcesses"/> live processes
/// and <see cref="MaxReferences"/> held references (GUP handles and vmsplice pipes) at once. The property tests use the
/// slots and pools only; their generator bounds the rest by the length of a sequence.
/// </summary>
public sealed record Universe
{
    /// <summary>The slots, in mapping order.</summary>
    public required IReadOnlyList<SlotKind> Slots { get; init; }

    /// <summary>Live processes at once: fork is not offered when this many are alive.</summary>
    public int MaxProcesses { get; init; } = int.MaxValue;

    /// <summary>GUP handles and pipes held at once: no new reference is taken when this many are held.</summary>
    public int MaxReferences { get; init; } = int.MaxValue;

    /// <summary>nr_hugepages for 2 MiB pages.</summary>
    public int HugetlbPool { get; init; } = 8;

    /// <summary>Swap slots: enough for every page a run can map (4 processes × 2 THP/hugetlb slots in the property
    /// tests); a small device keeps machine creation cheap.</summary>
    public long SwapPages { get; init; } = 8 * 1024;

    /// <summary>The property tests' universe: two base pages (so KSM has something to merge), one THP, one hugetlb page.</summary>
    public static Universe PropertyTests { get; } = new() { Slots = [SlotKind.BasePage, SlotKind.BasePage, SlotKind.Thp, SlotKind.Hugetlb] };

    /// <summary>A universe of base pages only.</summary>
    /// <param name="processes">Live processes at once.</param>
    /// <param name="pages">Base-page slots.</param>
    /// <param name="references">References held at once.</param>
    public static Universe BasePages(int processes, int pages, int references) =>
        new() { Slots = Enumerable.Repeat(SlotKind.BasePage, pages).ToArray(), MaxProcesses = processes, MaxReferences = references };

    /// <summary>Whether some slot is a THP (the THP collapse/split steps need one).</summary>
    public bool HasThp => Slots.Contains(SlotKind.Thp);

    /// <summary>The length of a slot's mapping.</summary>
    /// <param name="kind">The slot kind.</param>
    public static ulong Length(SlotKind kind) => kind == SlotKind.BasePage ? PageGeometry.PageSize : PageGeometry.PmdSize;

    /// <summary>The length as the scenario language writes it.</summary>
    /// <param name="kind">The slot kind.</param>
    public static string LengthText(SlotKind kind) => kind == SlotKind.BasePage ? "4K" : "2M";

    /// <summary>A short description, e.g. "3 processes, 2 base pages, 2 references".</summary>
    public override string ToString()
    {
        var slots = string.Join(" + ", Slots.GroupBy(s => s).Select(g => $"{g.Count()} {Describe(g.Key, g.Count())}"));
        var processes = MaxProcesses == int.MaxValue ? "unbounded processes" : $"{MaxProcesses} processes";
        var references = MaxReferences == int.MaxValue ? "unbounded references" : $"{MaxReferences} references";
        return $"{processes}, {slots}, {references}";
    }

    private static string Describe(SlotKind kind, int count) => (kind, count) switch
    {
        (SlotKind.BasePage, 1) => "base page",
        (SlotKind.BasePage, _) => "base pages",
        (SlotKind.Thp, _) => "THP",
        _ => "hugetlb",
    };
}
