namespace CowGuard.VmModel;

/// <summary>SIGSEGV-like: an access to an address no VMA covers, or an access the VMA's protection forbids.</summary>
public sealed class SegmentationFaultException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The faulting address.</param>
    /// <param name="cause">Why the access faulted (SEGV_MAPERR / SEGV_ACCERR in kernel terms).</param>
    public SegmentationFaultException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "SIGSEGV";
}
