namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Turns a boxed integral constant into its bit pattern, sign-extended to 64 bits. Roslyn boxes enum constants as their
/// underlying integral type, so this covers FollFlags values too.
/// </summary>
internal static class ConstantBits
{
    public static bool TryGetBits(object? constant, out ulong bits)
    {
        switch (constant)
        {
            case ulong u64: bits = u64; return true;
            case uint u32: bits = u32; return true;
            case ushort u16: bits = u16; return true;
            case byte u8: bits = u8; return true;
            case long s64: bits = unchecked((ulong)s64); return true;
            case int s32: bits = unchecked((ulong)s32); return true;
            case short s16: bits = unchecked((ulong)s16); return true;
            case sbyte s8: bits = unchecked((ulong)s8); return true;
            case char c: bits = c; return true;
            default: bits = 0; return false;
        }
    }
}
