namespace CowGuard.VmModel;

/// <summary>
/// ENOMEM-like: the model has no room for the request — no address space left for an mmap, no hugetlb reservation,
/// no swap slot, or fork could not allocate the huge page an early COW needs.
/// </summary>
public sealed class OutOfVmMemoryException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address concerned, or null.</param>
    /// <param name="cause">What ran out.</param>
    public OutOfVmMemoryException(ulong? address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "ENOMEM";
}
