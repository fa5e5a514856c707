namespace CowGuard.Exploration;

/// <summary>
/// Checks the encoding's one promise on every merge: two states with the same encoding have the same future. It
/// rebuilds the state found first (by replaying its path), then takes every enabled step from both states and
/// compares what comes out — the enabled steps, whether each step ran, the oracles it violated, the exempt leaks, and
/// the successors' hashes. One step deep: a difference further down shows up as a mismatch of the merge there.
/// </summary>
internal sealed class MergeVerifier(SearchTree tree)
{
    private readonly ReplayingMaterialiser _replay = new(tree);
    private readonly DeepCloner _cloner = new(shareLocks: true);
    private readonly StateEncoder _encoder = new();
    private readonly List<(int Letter, Op Op)> _stepsOfNew = [];
    private readonly List<(int Letter, Op Op)> _stepsOfFound = [];

    public long Verified { get; private set; }

    public List<string> Mismatches { get; } = [];

    /// <param name="reached">The state a step just reached.</param>
    /// <param name="found">Where the visited set found its hash: level and path step.</param>
    /// <param name="depth">The level <paramref name="reached"/> is at.</param>
    /// <param name="node">How <paramref name="reached"/> was reached.</param>
    public void Verify(ModelRun reached, (int Level, Node Node) found, int depth, Node node)
    {
        var first = found.Level == 0 ? tree.NewRoot() : _replay.Fresh(found.Level - 1, found.Node.Parent);
        if (found.Level > 0)
        {
            first.Explore(StepCode.Unpack(found.Node.Code, tree.Options.Alphabet));
        }

        Verified++;
        var alphabet = tree.Options.Alphabet;
        reached.EnabledSteps(alphabet, _stepsOfNew);
        first.EnabledSteps(alphabet, _stepsOfFound);
        var where = $"merge of [{string.Join(" ; ", PathOf(depth - 1, node))}] into [{string.Join(" ; ", PathOf(found.Level - 1, found.Node))}]";
        if (!_stepsOfNew.SequenceEqual(_stepsOfFound))
        {
            Mismatches.Add($"{where}: enabled steps differ");
            return;
        }

        foreach (var (_, op) in _stepsOfNew)
        {
            var (a, b) = (_cloner.Clone(reached), _cloner.Clone(first));
            var (stepA, stepB) = (a.Explore(op), b.Explore(op));
            var same = stepA == stepB && a.Broken == b.Broken && (a.Broken || _encoder.Hash(a) == _encoder.Hash(b));
            if (!same)
            {
                Mismatches.Add($"{where}: {op} gives {stepA} / {stepB}");
                return;
            }
        }
    }

    private IEnumerable<Op> PathOf(int parentLevel, Node node) =>
        parentLevel < 0 ? [] : [.. tree.PathTo(parentLevel, node.Parent), StepCode.Unpack(node.Code, tree.Options.Alphabet)];
}
