using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>Machine-wide knobs and files: run by the driver (cg_knobs.h, cg_files.h, cg_ksm.h).</summary>
internal static class MachineEmitter
{
    public static Emission ThpEnabled(CTranslator t, BoundThpEnabled node) =>
        Emission.Driver($"cg_thp_enabled({t.Number(node.Size)}, {CText.Literal(node.Setting.ToString().ToLowerInvariant())});");

    public static Emission HugetlbPool(CTranslator t, BoundHugetlbPool node) =>
        Emission.Driver($"cg_nr_hugepages({t.Number(node.Size)}, {t.Number(node.Count)});");

    public static Emission CreateFile(CTranslator t, BoundCreateFile node) => Emission.Driver(node.Kind == FileKind.Memfd
        ? $"cg->v[{t.Define(node)}] = cg_memfd({t.Number(node.Length)}, {t.Optional(node.HugetlbSize)});"
        : $"cg->v[{t.Define(node)}] = cg_tmpfile({t.Number(node.Length)});");

    /// <summary>ksmd never runs while no mm is on its list (ksmd_should_run), so full_scans would not move: see <see cref="KsmPlan"/>.</summary>
    public static Emission KsmMerge(CTranslator t, BoundKsmMerge node) => Emission.Driver(t.Ksm.HasWork(node)
        ? "cg_ksm_merge();"
        : "/* ksm_merge: no live process has a MADV_MERGEABLE area, nothing to scan */").Needing(KernelFeature.Ksm);
}
