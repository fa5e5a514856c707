namespace CowGuard.VmModel;

/// <summary>
/// EFAULT returned, no signal: a system call or a get_user_pages walk met an address it cannot use — no VMA covers it,
/// the VMA's flags forbid the access (check_vma_flags), FOLL_NOFAULT would need a fault, or the fault itself failed
/// with VM_FAULT_SIGBUS / VM_FAULT_SIGSEGV (vm_fault_to_errno). Unlike <see cref="SegmentationFaultException"/> (a
/// CPU access, SIGSEGV), the process is not signalled: the kernel returns -EFAULT to the caller.
/// </summary>
public sealed class BadAddressException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The address that could not be used.</param>
    /// <param name="cause">Why (in kernel terms).</param>
    public BadAddressException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <summary>Creates the exception for a GUP caller that needs every page and got fewer (io_pin_pages style).</summary>
    /// <param name="address">The address of the first page that was not taken.</param>
    /// <param name="cause">What the caller reports.</param>
    /// <param name="pagesTaken">How many pages the walk took (and the caller released) before it stopped.</param>
    /// <param name="stoppedBy">The error the walk stopped on at <paramref name="address"/>.</param>
    public BadAddressException(ulong address, string cause, int pagesTaken, VmException stoppedBy)
        : base(address, cause, stoppedBy)
    {
        PagesTaken = pagesTaken;
    }

    /// <summary>For a short GUP undone by its caller: the pages taken before the walk stopped; otherwise 0.</summary>
    public int PagesTaken { get; }

    /// <inheritdoc />
    public override string KernelError => "EFAULT";
}
