using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>The signal or errno a process would see for each kind of model error, as <c>try</c> reports it.</summary>
internal static class FaultNames
{
    /// <summary>
    /// The name for a bad-input error of the model: its <see cref="VmException.KernelError"/> (EFAULT for a GUP
    /// outside a VMA, SIGSEGV for a CPU access there, …). Invariant violations (model bugs) are not
    /// <see cref="VmException"/>s, so <c>try</c> never swallows them.
    /// </summary>
    public static string Of(VmException exception) => exception.KernelError;
}
