namespace CowGuard.VmModel;

/// <summary>ESRCH-like: an operation on a process (or its address space) after it exited.</summary>
public sealed class ProcessExitedException : VmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="processName">The exited process.</param>
    /// <param name="operation">What was attempted.</param>
    public ProcessExitedException(string processName, string operation)
        : base(null, $"{operation} on process '{processName}', which has exited")
    {
        ProcessName = processName;
    }

    /// <summary>The exited process.</summary>
    public string ProcessName { get; }

    /// <inheritdoc />
    public override string KernelError => "ESRCH";
}
