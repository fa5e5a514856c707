using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli.Kernel;

/// <summary>
/// What <c>--kernel</c> adds to a command: the instances run on the live kernel (the console's backend), each
/// compared with the model's run under the era of the running kernel.
/// </summary>
internal sealed class LiveKernelRun
{
    private LiveKernelRun(string where, KernelFacts facts, Era? era, IReadOnlyList<LiveComparison> comparisons)
    {
        Where = where;
        Facts = facts;
        Era = era;
        Comparisons = comparisons;
    }

    /// <summary>"this machine's kernel", "the guest kernel under QEMU (…)".</summary>
    public string Where { get; }

    public KernelFacts Facts { get; }

    /// <summary>Era.ForKernel of the running kernel's release; null when the release names no version.</summary>
    public Era? Era { get; }

    /// <summary>One per instance, in the order given.</summary>
    public IReadOnlyList<LiveComparison> Comparisons { get; }

    /// <summary>"Linux 6.18.44 (this machine's kernel), compared with era AnonExclusive (5.19+)".</summary>
    public string Title => Facts.Unavailable is not null ? $"{Where}, not available" : $"Linux {Facts.KernelRelease} ({Where}), " + (Era is { } era ? $"compared with era {ScenarioSelection.EraTitle(era)}" : "which names no kernel version, so no era to compare with");

    /// <summary>Runs <paramref name="instances"/>; <paramref name="model"/> gives the model's run of instance i under an era.</summary>
    public static LiveKernelRun Start(CliConsole console, LiveTarget target, IReadOnlyList<ScenarioInstance> instances, Func<int, Era, RunResult> model)
    {
        var backend = console.LiveKernel(target).WithNotices(notice => console.Error.WriteLine($"live kernel: {notice}"));
        var era = KernelEra.FromRelease(backend.Facts.KernelRelease);
        var live = backend.RunAll(instances);
        return new LiveKernelRun(backend.Where, backend.Facts, era, live.Select((result, i) => LiveComparison.Of(result, era, code => model(i, code))).ToList());
    }

    /// <summary>Writes every live-kernel error (a backend failure, never a verdict) to the error output, once each.</summary>
    public bool ReportErrors(CliConsole console)
    {
        var errors = Comparisons.Where(c => c.Live.Outcome == LiveOutcome.Error).ToList();
        foreach (var error in errors)
        {
            console.Error.WriteLine($"live kernel: {error.Instance.DisplayName}: {error.Live.Reason}");
        }

        return errors.Count > 0;
    }

    /// <summary>The live kernel disagrees with the model's era for it, or contradicts a declared verdict, somewhere.</summary>
    public bool HasDisagreement => Comparisons.Any(c => c.IsDisagreement);

    /// <summary>"pass (agrees with the model's era AnonExclusive)", "FAIL (DISAGREES with the model's era AnonExclusive (pass))", "skipped: why" …</summary>
    public string Outcome(LiveComparison comparison)
    {
        var live = comparison.Live;
        if (live.Outcome != LiveOutcome.Ran)
        {
            return live.Outcome == LiveOutcome.Skipped ? live.Describe() : "ERROR (see below)";
        }

        if (comparison.Era is not { } era || comparison.Model is not { } model || LiveAgreement.ModelVerdict(live, model) is not { } modelled)
        {
            return $"{comparison.ShownVerdict} (no model verdict to compare with)";
        }

        var agreement = comparison.DisagreesWithModel
            ? $"DISAGREES with the model's era {era.Name} ({VerdictText.Format(modelled)}; {string.Join("; ", comparison.CheckDifferences.Select(d => d.Describe()))})"
            : $"agrees with the model's era {era.Name}";
        var declared = comparison.ContradictsDeclaration ? $"; CONTRADICTS the declared {era.Name}={VerdictText.Format(comparison.Instance.Expected[era])}" : string.Empty;
        return $"{comparison.ShownVerdict} ({agreement}{declared})";
    }
}
