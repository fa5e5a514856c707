namespace CowGuard.Analyzers.Semantics;

/// <summary>What the effective flags of a page-reference call say about COW.</summary>
internal enum FlagsVerdict
{
    /// <summary>Every possible value has Write or BreakCow: the reference is taken on the right side of COW.</summary>
    BreaksCow,

    /// <summary>Some possible value has neither bit (or the API has no flags at all): CG0001.</summary>
    WrongSide,

    /// <summary>The value is a [GupFlags] parameter passed through: the enclosing method's callers are checked.</summary>
    Forwarded,

    /// <summary>The value depends on something not evaluated: CG0004.</summary>
    NotProvable,

    /// <summary>The code does not compile here; no CowGuard diagnostic is useful.</summary>
    Invalid,
}
