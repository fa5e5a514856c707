namespace CowGuard.VmModel;

/// <summary>
/// Base of every error the model reports for bad input. Carries the faulting address (when there is one) and a short
/// cause in kernel terms. The model validates before it mutates, so it stays consistent after any of these.
/// </summary>
public abstract class VmException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="address">The user address the error refers to, or null when none applies.</param>
    /// <param name="cause">A short cause in kernel terms (e.g. "no VMA covers the address").</param>
    protected VmException(ulong? address, string cause)
        : base(address is { } a ? $"{cause} (address 0x{a:x})" : cause)
    {
        Address = address;
        Cause = cause;
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="address">The user address the error refers to, or null when none applies.</param>
    /// <param name="cause">A short cause in kernel terms.</param>
    /// <param name="innerException">The model error this one reports.</param>
    protected VmException(ulong? address, string cause, Exception innerException)
        : base(address is { } a ? $"{cause} (address 0x{a:x})" : cause, innerException)
    {
        Address = address;
        Cause = cause;
    }

    /// <summary>The user address the error refers to, or null when none applies.</summary>
    public ulong? Address { get; }

    /// <summary>
    /// What the process sees, in kernel terms: the errno a system call returns ("EFAULT", "ENOMEM", "EINVAL", "EAGAIN",
    /// "ENOENT", "ESRCH"), the signal a CPU access raises ("SIGSEGV", "SIGBUS"), or "userfault" for a fault handed to
    /// a userfaultfd monitor. docs/fidelity.md maps each to the kernel function that produces it.
    /// </summary>
    public abstract string KernelError { get; }

    /// <summary>The cause without the address.</summary>
    public string Cause { get; }
}
