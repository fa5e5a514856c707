namespace CowGuard.VmModel;

/// <summary>
/// SIGBUS-like: the kernel could not provide a page for a valid address, e.g. the hugetlb pool is exhausted on a fault
/// or a COW, or the page was stolen from a non-owner of a private hugetlb reservation (unmap_ref_private).
/// </summary>
public sealed class BusErrorException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The faulting address.</param>
    /// <param name="cause">Why no page could be provided.</param>
    public BusErrorException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "SIGBUS";
}
