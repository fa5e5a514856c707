namespace CowGuard.Analyzers.Semantics;

/// <summary>What is known about one break-COW bit (Write or BreakCow) of a flags value.</summary>
internal enum BitState
{
    /// <summary>Provably 0.</summary>
    Clear,

    /// <summary>Provably 1.</summary>
    Set,

    /// <summary>Equal to the same bit of a [GupFlags] parameter, passed through unchanged.</summary>
    Forwarded,

    /// <summary>Depends on something the analyzer does not evaluate (a non-constant local, a call, a field, ...).</summary>
    Unknown,
}
