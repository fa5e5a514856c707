namespace CowGuard.VmModel;

/// <summary>
/// An internal consistency check failed (refcount accounting, a writable anon PTE without AnonExclusive in an era that
/// tracks it, a pinned anon page that is not exclusive, a freed page still reachable). This is a model bug, not bad
/// input: it is the model's VM_BUG_ON.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which invariant failed and where.</param>
    public InvariantViolationException(string message) : base(message)
    {
    }
}
