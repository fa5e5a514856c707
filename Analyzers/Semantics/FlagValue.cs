using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The abstract value of one flags expression, restricted to the two bits that decide COW safety: FollFlags.Write
/// and FollFlags.BreakCow. Other bits never change the verdict, so they are not tracked. Bitwise operators combine
/// the states bit by bit; <see cref="BitState.Forwarded"/> survives only while the bit is passed through unchanged.
/// </summary>
internal readonly struct FlagValue
{
    public FlagValue(BitState write, BitState breakCow, IParameterSymbol? forwardedFrom, string? reason = null)
    {
        Write = write;
        BreakCow = breakCow;
        ForwardedFrom = forwardedFrom;
        Reason = reason;
    }

    public BitState Write { get; }

    public BitState BreakCow { get; }

    /// <summary>The [GupFlags] parameter the Forwarded bits come from.</summary>
    public IParameterSymbol? ForwardedFrom { get; }

    /// <summary>Why a bit is <see cref="BitState.Unknown"/>, in words for the CG0004 message (the first reason met).</summary>
    public string? Reason { get; }

    public static FlagValue Unknown(string reason) => new(BitState.Unknown, BitState.Unknown, null, reason);

    public static FlagValue Constant(ulong bits, CowGuardSymbols symbols) => new(
        (bits & symbols.WriteBit) != 0 ? BitState.Set : BitState.Clear,
        (bits & symbols.BreakCowBit) != 0 ? BitState.Set : BitState.Clear,
        null);

    public static FlagValue Forwarded(IParameterSymbol parameter) => new(BitState.Forwarded, BitState.Forwarded, parameter);

    /// <summary>The verdict for this one possible value.</summary>
    public FlagsVerdict Verdict
    {
        get
        {
            if (Write == BitState.Set || BreakCow == BitState.Set)
            {
                return FlagsVerdict.BreaksCow;
            }

            if (Write == BitState.Clear && BreakCow == BitState.Clear)
            {
                return FlagsVerdict.WrongSide;
            }

            // Forwarding counts only when both bits reach the inner call as the caller passed them: a wrapper that
            // masks Write or BreakCow away would make its callers look safe when they are not.
            return Write == BitState.Forwarded && BreakCow == BitState.Forwarded
                ? FlagsVerdict.Forwarded
                : FlagsVerdict.NotProvable;
        }
    }

    public static FlagValue Or(FlagValue left, FlagValue right) => Combine(left, right, OrBit);

    public static FlagValue And(FlagValue left, FlagValue right) => Combine(left, right, AndBit);

    public static FlagValue Xor(FlagValue left, FlagValue right) => Combine(left, right, XorBit);

    /// <summary>A value that over-approximates both: bits on which they disagree become Unknown.</summary>
    public static FlagValue Join(FlagValue left, FlagValue right) => Combine(left, right, JoinBit);

    public FlagValue Complement() => new(ComplementBit(Write), ComplementBit(BreakCow), ForwardedFrom, Reason);

    private static FlagValue Combine(FlagValue left, FlagValue right, System.Func<BitState, BitState, BitState> op)
    {
        if (left.ForwardedFrom is not null && right.ForwardedFrom is not null &&
            !SymbolEqualityComparer.Default.Equals(left.ForwardedFrom, right.ForwardedFrom))
        {
            // Two different flags parameters: neither is forwarded faithfully.
            left = left.WithoutForwarding();
            right = right.WithoutForwarding();
        }

        return new FlagValue(
            op(left.Write, right.Write), op(left.BreakCow, right.BreakCow), left.ForwardedFrom ?? right.ForwardedFrom, left.Reason ?? right.Reason);
    }

    private FlagValue WithoutForwarding() => new(
        Demote(Write), Demote(BreakCow), null, Reason ?? $"two different [GupFlags] parameters ('{ForwardedFrom?.Name}' and another) are combined");

    private static BitState Demote(BitState state) => state == BitState.Forwarded ? BitState.Unknown : state;

    private static BitState OrBit(BitState a, BitState b) =>
        a == BitState.Set || b == BitState.Set ? BitState.Set
        : a == BitState.Clear ? b
        : b == BitState.Clear ? a
        : a == BitState.Forwarded && b == BitState.Forwarded ? BitState.Forwarded
        : BitState.Unknown;

    private static BitState AndBit(BitState a, BitState b) =>
        a == BitState.Clear || b == BitState.Clear ? BitState.Clear
        : a == BitState.Set ? b
        : b == BitState.Set ? a
        : a == BitState.Forwarded && b == BitState.Forwarded ? BitState.Forwarded
        : BitState.Unknown;

    private static BitState XorBit(BitState a, BitState b) =>
        a == BitState.Clear ? b
        : b == BitState.Clear ? a
        : a == BitState.Set && b == BitState.Set ? BitState.Clear
        : a == BitState.Forwarded && b == BitState.Forwarded ? BitState.Clear
        : BitState.Unknown;

    private static BitState JoinBit(BitState a, BitState b) => a == b ? a : BitState.Unknown;

    private static BitState ComplementBit(BitState state) => state switch
    {
        BitState.Clear => BitState.Set,
        BitState.Set => BitState.Clear,
        _ => BitState.Unknown,
    };
}
