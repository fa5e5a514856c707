using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>What the picture shows at one step: each live process, its present or swapped page-table entries and the pages they map.</summary>
internal sealed record MachineSnapshot(IReadOnlyList<ProcessSnapshot> Processes);

internal sealed record ProcessSnapshot(string Name, IReadOnlyList<PteSnapshot> Entries);

/// <summary>One page-table entry: where, whether it is writable or swapped, and the page's counts when present.</summary>
internal sealed record PteSnapshot(ulong Address, bool Writable, bool Swapped, PageState? Page);
