namespace CowGuard.VmModel;

/// <summary>A VMA as /proc/pid/maps (and smaps' VmFlags) would show it.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">Address after the last byte.</param>
/// <param name="Prot">Current protection.</param>
/// <param name="Shared">MAP_SHARED.</param>
/// <param name="FileName">The mapped file, or null for anonymous memory.</param>
/// <param name="HugetlbPageSize">Huge page size for hugetlb VMAs, else 0.</param>
/// <param name="Flags">smaps-style flag names: dc (DONTFORK), wf (WIPEONFORK), hg, nh, mg, uw, sd.</param>
public sealed record VmaInfo(ulong Start, ulong End, Prot Prot, bool Shared, string? FileName, ulong HugetlbPageSize, IReadOnlyList<string> Flags);
