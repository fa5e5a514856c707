namespace CowGuard.VmModel;

/// <summary>
/// EAGAIN/EBUSY-like: the kernel declined the operation for now because of extra references on a page, e.g.
/// MADV_COLLAPSE on a range whose pages are pinned or referenced by a pipe (is_refcount_suitable fails).
/// </summary>
public sealed class ResourceBusyException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address concerned.</param>
    /// <param name="cause">Why the operation was declined.</param>
    public ResourceBusyException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "EAGAIN";
}
