using System.CommandLine;

namespace CowGuard.Cli;

/// <summary>
/// <c>--report-only</c>: by default run and matrix fail (exit code 4) when a run's verdict contradicts the one its file
/// declares, and with --kernel (exit code 3) when the live kernel disagrees, so a scenario suite can gate CI; with
/// this option they only report it.
/// </summary>
internal static class VerdictGate
{
    public static Option<bool> Option() => new("--report-only")
    {
        Description = "Report verdicts that differ from the declared ones (and live-kernel disagreements) without failing: exit code 0 unless a scenario could not run.",
    };

    /// <summary>2 for errors, else 3 for a live disagreement, else 4 for a declared verdict the model contradicts, else 0; 0 or 2 when only reporting.</summary>
    public static int ExitCode(bool errors, bool liveDisagreement, bool declaredDiffers, bool reportOnly) =>
        errors ? CliConsole.ScenarioErrorExitCode
        : reportOnly ? 0
        : liveDisagreement ? CliConsole.LiveDisagreementExitCode
        : declaredDiffers ? CliConsole.VerdictDiffersExitCode
        : 0;
}
