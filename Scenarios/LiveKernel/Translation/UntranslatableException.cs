using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// A scenario step has no system-call equivalent on a live kernel (a R/O FOLL_PIN without gup_test, KSM timing,
/// uffd-wp ...). The instance is reported as skipped with this reason, never as a pass.
/// </summary>
internal sealed class UntranslatableException(SourceLocation location, string reason) : Exception($"{location}: {reason}")
{
    public SourceLocation Location { get; } = location;

    public string Reason { get; } = reason;
}
