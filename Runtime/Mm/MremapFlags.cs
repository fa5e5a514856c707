namespace CowGuard.VmModel;

/// <summary>Flags of <see cref="VmProcess.Mremap"/> (MREMAP_*).</summary>
[Flags]
public enum MremapFlags
{
    /// <summary>Resize in place only.</summary>
    None = 0,

    /// <summary>MREMAP_MAYMOVE: the mapping may move.</summary>
    MayMove = 1,

    /// <summary>MREMAP_FIXED: move to exactly the given new address, unmapping what was there (needs MayMove).</summary>
    Fixed = 2,
}
