using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// The medians of one corpus size. "Compile" is the compiler's own work (parse + emit). CowGuard's share is reported
/// three ways: its callbacks' execution time (what /reportanalyzer prints; a wall clock, so only meaningful on an idle
/// machine); its own work as CPU time over the no-op operation baseline (load-independent, without the operation trees
/// that every IOperation analyzer shares); and its CPU time over the empty baseline (what CowGuard costs when it is the
/// only analyzer and so pays for those operation trees alone).
/// </summary>
internal sealed record OverheadResult(
    GeneratedCorpus Corpus,
    Measured Parse,
    Measured Emit,
    Measured EmptyAnalyzer,
    Measured NoOpOperation,
    Measured CowGuard,
    TimeSpan CowGuardCallbacks,
    IReadOnlyDictionary<string, TimeSpan> CallbacksPerAnalyzer,
    int Cg0001)
{
    public Measured Compile => Parse + Emit;

    /// <summary>CowGuard's callback time as a percentage of the compiler's own (wall) time.</summary>
    public double CallbackPercent => Percent(CowGuardCallbacks, Compile.Wall);

    /// <summary>CowGuard's CPU time over the no-op operation analyzer, as a percentage of the compile's CPU time.</summary>
    public double OwnWorkPercent => Percent((CowGuard - NoOpOperation).Cpu, Compile.Cpu);

    /// <summary>CowGuard's CPU time over the empty analyzer (operation trees included), as a percentage of the compile's.</summary>
    public double SoleAnalyzerPercent => Percent((CowGuard - EmptyAnalyzer).Cpu, Compile.Cpu);

    /// <summary>CowGuard's callback time per thousand lines, the quantity that must stay flat for linear growth.</summary>
    public double CallbackMicrosecondsPerKiloLine => CowGuardCallbacks.TotalMicroseconds * 1000 / Corpus.Lines;

    private static double Percent(TimeSpan part, TimeSpan whole) => 100.0 * part.Ticks / whole.Ticks;
}
