using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>Memory operations: steps run inside the agent of the process that acts (cg_memory.h, cg_uffd.h).</summary>
internal static class MemoryEmitter
{
    public static Emission Mmap(CTranslator t, BoundMmap node)
    {
        var file = node.File is null ? "-1" : t.Use(node.File).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Emission.Agent(
            t.AgentOf(node.Process),
            $"cg->v[{t.Define(node)}] = cg_number(cg_mmap({t.Number(node.Length)}, {Prot(node.Protection)}, {(node.Shared ? 1 : 0)}, {file}, {t.Optional(node.HugetlbSize)}, {t.Optional(node.Align)}));");
    }

    public static Emission Munmap(CTranslator t, BoundMunmap node) =>
        Emission.Agent(t.AgentOf(node.Process), $"cg_munmap({t.Number(node.Address)}, {t.Number(node.Length)});");

    public static Emission Mprotect(CTranslator t, BoundMprotect node) =>
        Emission.Agent(t.AgentOf(node.Process), $"cg_mprotect({t.Number(node.Address)}, {t.Number(node.Length)}, {Prot(node.Protection)});");

    /// <summary>MADV_PAGEOUT needs swap to mean anything; (UN)MERGEABLE needs KSM. The name of the advice is for messages.</summary>
    public static Emission Madvise(CTranslator t, BoundMadvise node)
    {
        var emission = Emission.Agent(
            t.AgentOf(node.Process),
            $"cg_madvise({t.Number(node.Address)}, {t.Number(node.Length)}, {AdviceConstant(node.Advice)}, {CText.Literal(node.Advice.ToString())}, {(node.FromBacking ? 1 : 0)});");
        return node.Advice switch
        {
            Advice.PageOut => emission.Needing(KernelFeature.Swap),
            Advice.Mergeable or Advice.Unmergeable => emission.Needing(KernelFeature.Ksm),
            _ => emission,
        };
    }

    public static Emission Mremap(CTranslator t, BoundMremap node)
    {
        var call = $"cg_mremap({t.Number(node.Address)}, {t.Number(node.OldLength)}, {t.Number(node.NewLength)}, {(node.FixedAddress is null ? 0 : 1)}, {t.Optional(node.FixedAddress)})";
        return Emission.Agent(t.AgentOf(node.Process), node.Target is null ? $"(void){call};" : $"cg->v[{t.Define(node)}] = cg_number({call});");
    }

    public static Emission Fill(CTranslator t, BoundFill node) =>
        Emission.Agent(t.AgentOf(node.Process), $"cg_fill({t.Number(node.Address)}, {t.Number(node.Length)}, {t.Number(node.Value)});");

    public static Emission Swap(CTranslator t, BoundSwap node) => Emission.Agent(
        t.AgentOf(node.Process),
        node.Out
            ? $"cg_madvise({t.Number(node.Address)}, {t.Number(node.Length)}, MADV_PAGEOUT, {CText.Literal(nameof(Advice.PageOut))}, {(node.FromBacking ? 1 : 0)});"
            : $"cg_swap_in({t.Number(node.Address)}, {t.Number(node.Length)});").Needing(KernelFeature.Swap);

    public static Emission ClearRefs(CTranslator t, BoundClearRefs node) =>
        Emission.Agent(t.AgentOf(node.Process), "cg_clear_refs();").Needing(KernelFeature.SoftDirty);

    public static Emission UffdWriteProtect(CTranslator t, BoundUffdWriteProtect node) =>
        Emission.Agent(t.AgentOf(node.Process), $"cg_uffd_wp({t.Number(node.Address)}, {t.Number(node.Length)}, {(node.Protect ? 1 : 0)});").Needing(KernelFeature.Userfaultfd);

    private static string Prot(Protection protection) => protection switch
    {
        Protection.ReadWrite => "CG_PROT_RW",
        Protection.Read => "CG_PROT_READ",
        Protection.None => "CG_PROT_NONE",
        _ => throw new ArgumentOutOfRangeException(nameof(protection), protection, "unknown protection"),
    };

    private static string AdviceConstant(Advice advice) => advice switch
    {
        Advice.DontNeed => "MADV_DONTNEED",
        Advice.DontFork => "MADV_DONTFORK",
        Advice.DoFork => "MADV_DOFORK",
        Advice.WipeOnFork => "MADV_WIPEONFORK",
        Advice.KeepOnFork => "MADV_KEEPONFORK",
        Advice.PageOut => "MADV_PAGEOUT",
        Advice.HugePage => "MADV_HUGEPAGE",
        Advice.NoHugePage => "MADV_NOHUGEPAGE",
        Advice.Collapse => "MADV_COLLAPSE",
        Advice.Mergeable => "MADV_MERGEABLE",
        Advice.Unmergeable => "MADV_UNMERGEABLE",
        _ => throw new ArgumentOutOfRangeException(nameof(advice), advice, "unknown advice"),
    };
}
