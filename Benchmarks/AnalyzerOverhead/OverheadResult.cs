using CowGuard.Benchmarks.Corpus;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// The medians of one corpus size. "Compile" is the compiler's own work (parse + emit); CowGuard's share is reported
/// two ways: its callbacks' execution time (what /reportanalyzer prints) and the driver's wall time over the no-op
/// operation baseline (CowGuard's own work, without the operation trees every IOperation analyzer shares). The wall
/// time over the empty baseline shows what those shared operation trees cost when CowGuard is the only analyzer.
/// </summary>
internal sealed record OverheadResult(
    GeneratedCorpus Corpus,
    TimeSpan Parse,
    TimeSpan Emit,
    TimeSpan EmptyAnalyzerWall,
    TimeSpan NoOpOperationWall,
    TimeSpan CowGuardWall,
    TimeSpan CowGuardAnalyzerTime,
    int Cg0001)
{
    public TimeSpan Compile => Parse + Emit;

    /// <summary>CowGuard's callback time as a percentage of the compiler's own time.</summary>
    public double AnalyzerPercent => 100.0 * CowGuardAnalyzerTime.Ticks / Compile.Ticks;

    /// <summary>The driver's extra wall time with CowGuard over the no-op operation analyzer, as a percentage of the compile.</summary>
    public double MarginalPercent => 100.0 * (CowGuardWall - NoOpOperationWall).Ticks / Compile.Ticks;

    /// <summary>The driver's extra wall time with CowGuard over the empty analyzer (operation trees included).</summary>
    public double SoleAnalyzerPercent => 100.0 * (CowGuardWall - EmptyAnalyzerWall).Ticks / Compile.Ticks;

    /// <summary>CowGuard's callback time per thousand lines, the quantity that must stay flat for linear growth.</summary>
    public double AnalyzerMicrosecondsPerKiloLine => CowGuardAnalyzerTime.TotalMicroseconds * 1000 / Corpus.Lines;
}
