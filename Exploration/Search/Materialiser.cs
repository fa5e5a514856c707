namespace CowGuard.Exploration;

/// <summary>
/// Rebuilds the state of a node of the search tree, for one worker. <see cref="State"/> gives a state to read (its
/// enabled steps) that the caller must not change; <see cref="Fresh"/> one the caller takes a step in.
/// </summary>
internal abstract class Materialiser(SearchTree tree)
{
    protected SearchTree Tree { get; } = tree;

    public abstract ModelRun State(int level, int node);

    public abstract ModelRun Fresh(int level, int node);

    public static Materialiser For(Materialisation kind, SearchTree tree) => kind switch
    {
        Materialisation.Clone => new CloningMaterialiser(tree),
        _ => new ReplayingMaterialiser(tree),
    };
}

/// <summary>
/// Keeps the states of the current node's ancestors, one per level. Consecutive nodes of a level are siblings or
/// cousins (a level is sorted by parent), so rebuilding the next node usually costs one copy and one step; each of its
/// successors costs one more copy.
/// </summary>
internal sealed class CloningMaterialiser(SearchTree tree) : Materialiser(tree)
{
    // The worker's copy of the root gets locks of its own; every later copy is made and stepped on this worker's thread.
    private readonly DeepCloner _cloner = new(shareLocks: true);
    private readonly List<(int Node, ModelRun Run)> _path = [];

    public override ModelRun State(int level, int node)
    {
        if (_path.Count == 0)
        {
            _path.Add((0, new DeepCloner().Clone(Tree.Root)));
        }

        Span<int> ancestors = stackalloc int[level + 1];
        ancestors[level] = node;
        for (var l = level; l > 0; l--)
        {
            ancestors[l - 1] = Tree.Levels[l][ancestors[l]].Parent;
        }

        var kept = 1;
        while (kept <= level && kept < _path.Count && _path[kept].Node == ancestors[kept])
        {
            kept++;
        }

        _path.RemoveRange(kept, _path.Count - kept);
        for (var l = kept; l <= level; l++)
        {
            var run = _cloner.Clone(_path[l - 1].Run);
            run.Explore(Tree.StepOf(l, ancestors[l]));
            _path.Add((ancestors[l], run));
        }

        return _path[level].Run;
    }

    public override ModelRun Fresh(int level, int node) => _cloner.Clone(State(level, node));
}

/// <summary>Replays the whole sequence from a fresh machine for every state asked for (what the clone saves).</summary>
internal sealed class ReplayingMaterialiser(SearchTree tree) : Materialiser(tree)
{
    private (int Level, int Node, ModelRun Run)? _last;

    public override ModelRun State(int level, int node)
    {
        if (_last is not { } last || last.Level != level || last.Node != node)
        {
            _last = (level, node, Fresh(level, node));
        }

        return _last.Value.Run;
    }

    public override ModelRun Fresh(int level, int node)
    {
        var run = Tree.NewRoot();
        foreach (var op in Tree.PathTo(level, node))
        {
            run.Explore(op);
        }

        return run;
    }
}
