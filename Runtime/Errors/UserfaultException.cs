namespace CowGuard.VmModel;

/// <summary>
/// A write hit a userfaultfd write-protected PTE (handle_userfault(VM_UFFD_WP)). The real thread would sleep until the
/// monitor resolves the fault; the model reports it instead, leaving the PTE untouched, so a caller can
/// <see cref="VmProcess.UffdWriteProtect"/> the range off and retry.
/// </summary>
public sealed class UserfaultException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The faulting address.</param>
    /// <param name="cause">The fault that was raised.</param>
    public UserfaultException(ulong address, string cause) : base(address, cause)
    {
    }

    /// <inheritdoc />
    public override string KernelError => "userfault";
}
