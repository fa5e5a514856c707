namespace CowGuard.Exploration;

/// <summary>
/// Every state found so far, keyed by the 128-bit hash of its canonical encoding, with the level it was found at and
/// the path to it (parent index in the level above, step). Within the level being built, the smallest (parent, step)
/// wins whichever worker gets there first, so levels, counts and counterexamples do not depend on thread timing.
/// Sharded by hash, one lock per shard: the two workers of a 2-core machine almost never meet.
/// </summary>
internal sealed class VisitedSet
{
    private const int ShardBits = 8;
    private readonly Shard[] _shards = Enumerable.Range(0, 1 << ShardBits).Select(_ => new Shard()).ToArray();

    public long Count => _shards.Sum(s => (long)s.States.Count);

    /// <summary>Records a state reached at <paramref name="level"/> by <paramref name="node"/>. True when it is new.</summary>
    public bool Visit(UInt128 hash, int level, Node node)
    {
        var shard = _shards[(int)(hash >> (128 - ShardBits))];
        var packed = Pack(level, node);
        lock (shard)
        {
            if (!shard.States.TryGetValue(hash, out var existing))
            {
                shard.States.Add(hash, packed);
                return true;
            }

            if (LevelOf(existing) == level && node.CompareTo(NodeOf(existing)) < 0)
            {
                shard.States[hash] = packed;
            }

            return false;
        }
    }

    /// <summary>Where a state was found: its level and path step (the winning one, once its level is complete).</summary>
    public (int Level, Node Node) Find(UInt128 hash)
    {
        var shard = _shards[(int)(hash >> (128 - ShardBits))];
        lock (shard)
        {
            var packed = shard.States[hash];
            return (LevelOf(packed), NodeOf(packed));
        }
    }

    /// <summary>Bytes the set's tables hold (entries and buckets), for the report.</summary>
    public long ApproximateBytes => _shards.Sum(s => (long)s.States.EnsureCapacity(0) * (32 + 4));

    private static long Pack(int level, Node node) => ((long)level << 56) | ((long)(uint)node.Parent << 24) | (uint)node.Code;

    private static int LevelOf(long packed) => (int)((ulong)packed >> 56);

    private static Node NodeOf(long packed) => new((int)(((ulong)packed >> 24) & 0xFFFF_FFFF), (int)(packed & 0xFF_FFFF));

    private sealed class Shard
    {
        public Dictionary<UInt128, long> States { get; } = [];
    }
}
