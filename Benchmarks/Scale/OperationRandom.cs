namespace CowGuard.Benchmarks.Scale;

/// <summary>
/// The random-ops generator: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// 2014) with Lemire's multiply-shift range reduction. Deterministic for a seed, like <see cref="Random"/>'s seeded
/// generator, but a few instructions per draw instead of the seeded Random's subtractive generator and floating-point
/// scaling, so the benchmark times the model rather than its dice (the draws' slight bias, below 2^-32 per value, does
/// not matter here).
/// </summary>
internal struct OperationRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A value in [0, <paramref name="bound"/>) for a positive bound.</summary>
    public int Next(int bound) => (int)((Next32() * (ulong)(uint)bound) >> 32);

    private ulong Next32()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) >> 32;
    }
}
