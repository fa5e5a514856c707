namespace CowGuard.VmModel;

/// <summary>The fault flags the model distinguishes (enum fault_flag).</summary>
[Flags]
internal enum FaultFlags
{
    None = 0,

    /// <summary>FAULT_FLAG_WRITE.</summary>
    Write = 1,

    /// <summary>FAULT_FLAG_UNSHARE: make the page exclusive without write intent (never together with Write).</summary>
    Unshare = 2,
}
