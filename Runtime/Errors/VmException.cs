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

    /// <summary>The user address the error refers to, or null when none applies.</summary>
    public ulong? Address { get; }

    /// <summary>The cause without the address.</summary>
    public string Cause { get; }
}
