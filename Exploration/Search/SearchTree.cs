namespace CowGuard.Exploration;

/// <summary>
/// The breadth-first search tree: level 0 is the root state, level d the states first found after d steps, each a
/// node (parent index in level d - 1, step). Levels are sorted by (parent, step), so a node's path is the smallest
/// one in BFS order.
/// </summary>
internal sealed class SearchTree
{
    private static readonly HashSet<Oracle> AllOracles = [.. Enum.GetValues<Oracle>()];

    public SearchTree(ExplorationOptions options)
    {
        Options = options;
        Root = NewRoot();
        Levels.Add([new Node(-1, 0)]);
    }

    public ExplorationOptions Options { get; }

    /// <summary>The state every sequence starts from (never stepped itself; materialisers copy or rebuild it).</summary>
    public ModelRun Root { get; }

    public List<Node[]> Levels { get; } = [];

    public ModelRun NewRoot() => ModelRun.StartExploring(Options.Era, Options.Universe, AllOracles);

    public Op StepOf(int level, int node) => StepCode.Unpack(Levels[level][node].Code, Options.Alphabet);

    /// <summary>The steps from the root to a node.</summary>
    public List<Op> PathTo(int level, int node)
    {
        var path = new List<Op>(level);
        for (var l = level; l > 0; l--)
        {
            path.Add(StepOf(l, node));
            node = Levels[l][node].Parent;
        }

        path.Reverse();
        return path;
    }
}
