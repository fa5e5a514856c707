using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>The signal or errno a process would see for each kind of model error, as <c>try</c> reports it.</summary>
internal static class FaultNames
{
    /// <summary>
    /// The name for a bad-input error of the model. Invariant violations (model bugs) are not
    /// <see cref="VmException"/>s, so <c>try</c> never swallows them.
    /// </summary>
    public static string Of(VmException exception) => exception switch
    {
        SegmentationFaultException => "SIGSEGV",
        BusErrorException => "SIGBUS",
        UserfaultException => "userfault",
        OutOfVmMemoryException => "ENOMEM",
        ProcessExitedException => "ESRCH",
        _ => "EINVAL",
    };
}
