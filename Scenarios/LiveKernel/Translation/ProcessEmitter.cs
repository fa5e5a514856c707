using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>Processes: each scenario process is an agent process of the generated program (cg_agents.h).</summary>
internal static class ProcessEmitter
{
    public static Emission Process(CTranslator t, BoundProcess node) =>
        Emission.Driver($"cg_new_process({t.Define(node)}, {t.Agents.Of(node)});");

    /// <summary>The parent's agent forks itself; the child becomes the agent of the new slot.</summary>
    public static Emission Fork(CTranslator t, BoundFork node)
    {
        var child = t.Agents.Of(node);
        return Emission.Agent(t.AgentOf(node.Parent), $"cg_fork_here({t.Define(node)}, {child});").Then($"cg_forked({child});");
    }

    public static Emission Exit(CTranslator t, BoundExit node) => Emission.Driver($"cg_exit_process({t.Use(node.Process)});");
}
