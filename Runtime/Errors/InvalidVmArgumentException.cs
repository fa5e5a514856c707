namespace CowGuard.VmModel;

/// <summary>
/// EINVAL-like: an argument the kernel would reject before doing anything — an unaligned address or length, an
/// invalid flag combination (FOLL_WRITE with BreakCow, FOLL_LONGTERM on a FOLL_GET call), a range outside a file;
/// or, with <c>kernelError</c>, another errno the kernel returns for a request it refuses up front (ENOENT for
/// UFFDIO_WRITEPROTECT on an unregistered range).
/// </summary>
public sealed class InvalidVmArgumentException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The offending address, or null when the error is not about an address.</param>
    /// <param name="cause">What is invalid.</param>
    /// <param name="kernelError">The errno the kernel returns (EINVAL unless it says otherwise).</param>
    public InvalidVmArgumentException(ulong? address, string cause, string kernelError = "EINVAL") : base(address, cause)
    {
        KernelError = kernelError;
    }

    /// <inheritdoc />
    public override string KernelError { get; }
}
