using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>Queries: each stores its value in the slot of its target or its temporary (<see cref="SlotMap.ResultOf"/>).</summary>
internal static class QueryEmitter
{
    public static Emission Read(CTranslator t, BoundRead node) =>
        Emission.Agent(t.AgentOf(node.Process), $"cg->v[{t.Slots.ResultOf(node)}] = cg_read({t.Number(node.Address)}, {t.Number(node.Length)});");

    /// <summary>
    /// present and swapped come from /proc/self/pagemap; a pfn too, but its numbers are the kernel's own, so only
    /// whether two are equal can be compared. refcount, mapcount, pincount, PageAnonExclusive and PTE writability are
    /// not exported to user space: nothing is read (a check on them is left out, <see cref="BoundExpect.ObservableOnLiveKernel"/>).
    /// </summary>
    public static Emission PageFact(CTranslator t, BoundPageFact node)
    {
        var into = t.Slots.ResultOf(node);
        var address = t.Number(node.Address);
        return node.Fact switch
        {
            PageFactKind.Present => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_number(cg_pagemap_bit({address}, CG_PM_PRESENT));"),
            PageFactKind.Swapped => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_number(cg_pagemap_bit({address}, CG_PM_SWAPPED));"),
            PageFactKind.Pfn => Emission.Agent(t.AgentOf(node.Process), $"cg->v[{into}] = cg_number(cg_pfn({address}));").Needing(KernelFeature.PageFrameNumbers),
            _ => Emission.Empty,
        };
    }

    /// <summary>The operation's own step runs under CG_TRY: a fault or failing system call becomes the value.</summary>
    public static Emission Try(CTranslator t, BoundTry node) =>
        t.Statement(node.Operation).UnderTry(t.Slots.ResultOf(node))
        ?? throw new UntranslatableException(node.Location, $"'try' around '{node.Operation.Verb}', which does not run inside a process");
}
