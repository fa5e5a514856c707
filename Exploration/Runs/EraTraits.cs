using System.Collections.Concurrent;
using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>What the explorer asks of an era beyond its name (the eras' rules themselves stay inside the model).</summary>
internal static class EraTraits
{
    private static readonly ConcurrentDictionary<Era, bool> AnonExclusiveByEra = new();

    /// <summary>
    /// The era keeps PG_anon_exclusive (5.19+, 6c287605fd56): its only documented data leak left is hugetlb's FOLL_GET
    /// one. Asked of the model's behaviour, not of a flag, so any era — one added later included — answers for itself:
    /// do_anonymous_page maps a new private anonymous page with SetPageAnonExclusive exactly in those eras.
    /// </summary>
    public static bool TracksAnonExclusive(Era era) => AnonExclusiveByEra.GetOrAdd(era, static era =>
    {
        var machine = new Machine(new MachineOptions { Era = era, RecordEvents = false });
        var process = machine.CreateProcess("probe");
        var address = process.Mmap(PageGeometry.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
        process.WriteByte(address, 1);
        return process.Inspect(address).Page is { AnonExclusive: true };
    });
}
