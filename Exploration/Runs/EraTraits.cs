using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>What the explorer asks of an era beyond its name (the eras' rules themselves stay inside the model).</summary>
internal static class EraTraits
{
    /// <summary>The era keeps PG_anon_exclusive (5.19+): its only documented data leak left is hugetlb's FOLL_GET one.</summary>
    public static bool TracksAnonExclusive(Era era) => era.TracksAnonExclusive;
}
