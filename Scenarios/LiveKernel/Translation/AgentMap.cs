using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// The agent process slot of every scenario process (cg_agents.h): one per <c>process</c> and <c>fork</c>, in
/// order, and one more for the remote accessor (a process that maps no scenario memory) when the program makes
/// remote copies. Computed once, up front.
/// </summary>
internal sealed class AgentMap
{
    private readonly Dictionary<BoundStatement, int> _slots = new(ReferenceEqualityComparer.Instance);

    private AgentMap()
    {
    }

    /// <summary>How many agents the program starts (at least one: cg_init needs a slot table).</summary>
    public int Count => Math.Max(_slots.Count + (Accessor is null ? 0 : 1), 1);

    public int? Accessor { get; private init; }

    public static AgentMap Build(BoundProgram program, bool needsAccessor)
    {
        var creators = StatementWalk.All(program).Where(s => s is BoundProcess or BoundFork).ToList();
        var map = new AgentMap { Accessor = needsAccessor ? creators.Count : null };
        for (var i = 0; i < creators.Count; i++)
        {
            map._slots[creators[i]] = i;
        }

        return map;
    }

    /// <summary>The agent a <c>process</c> or <c>fork</c> statement creates.</summary>
    public int Of(BoundStatement creator) => _slots[creator];
}
