namespace CowGuard.VmModel;

/// <summary>Memory protection of a mapping (PROT_* of mmap/mprotect).</summary>
[Flags]
public enum Prot
{
    /// <summary>PROT_NONE: no access.</summary>
    None = 0,

    /// <summary>PROT_READ.</summary>
    Read = 1,

    /// <summary>PROT_WRITE (the model, like x86, treats write as implying read for access checks).</summary>
    Write = 2,
}
