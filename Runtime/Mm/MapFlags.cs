namespace CowGuard.VmModel;

/// <summary>Flags of <see cref="VmProcess.Mmap"/> (MAP_* of mmap(2)). Exactly one of Private and Shared is required.</summary>
[Flags]
public enum MapFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>MAP_SHARED: writes go to the shared object; no COW.</summary>
    Shared = 1,

    /// <summary>MAP_PRIVATE: a COW mapping when writable (is_cow_mapping).</summary>
    Private = 2,

    /// <summary>MAP_FIXED: map exactly at the hint address, replacing whatever was mapped there.</summary>
    Fixed = 0x10,

    /// <summary>MAP_ANONYMOUS: not backed by a file.</summary>
    Anonymous = 0x20,

    /// <summary>MAP_HUGETLB with the default huge page size (2 MiB).</summary>
    Hugetlb = 0x40000,

    /// <summary>MAP_HUGETLB | MAP_HUGE_1GB: hugetlb with 1 GiB pages.</summary>
    Huge1G = 0x80000,
}
