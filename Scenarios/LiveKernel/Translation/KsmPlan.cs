using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// Whether ksmd has anything to scan at each <c>ksm_merge</c>: ksmd never runs while no mm is on its list
/// (ksmd_should_run), so the program would wait for full_scans in vain. An mm joins the list with its first
/// MADV_MERGEABLE (__ksm_enter), a child of a listed mm joins at fork (ksm_fork), and it leaves at exit (ksm_exit).
/// Computed once, up front, over the processes' defining symbols.
/// </summary>
internal sealed class KsmPlan
{
    private readonly HashSet<BoundStatement> _scanning = new(ReferenceEqualityComparer.Instance);

    private KsmPlan()
    {
    }

    public static KsmPlan Build(BoundProgram program)
    {
        var plan = new KsmPlan();
        var listed = new HashSet<Symbol>();
        foreach (var statement in StatementWalk.All(program))
        {
            switch (statement)
            {
                case BoundMadvise { Advice: Advice.Mergeable, Process: BoundVariable process }:
                    listed.Add(process.Symbol.Root);
                    break;
                case BoundFork { Parent: BoundVariable parent, Target: { } child } when listed.Contains(parent.Symbol.Root):
                    listed.Add(child);
                    break;
                case BoundExit { Process: BoundVariable exited }:
                    listed.Remove(exited.Symbol.Root);
                    break;
                case BoundKsmMerge when listed.Count > 0:
                    plan._scanning.Add(statement);
                    break;
            }
        }

        return plan;
    }

    /// <summary>Some live mm has a MADV_MERGEABLE area when this <c>ksm_merge</c> runs.</summary>
    public bool HasWork(BoundKsmMerge merge) => _scanning.Contains(merge);
}
