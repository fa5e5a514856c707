using System.Collections.Concurrent;
using System.Collections.Immutable;
using CowGuard.Benchmarks.Reporting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// One analysis of a fresh compilation through <see cref="CompilationWithAnalyzers"/> with execution-time telemetry
/// (logAnalyzerExecutionTime: true, the in-process equivalent of csc /reportanalyzer). The measured time (wall and
/// CPU) covers the whole driver, including the binding the operation actions force; telemetry covers only the
/// analyzers' own callbacks (timed by the driver with a wall clock).
/// </summary>
internal sealed record AnalyzerRun(
    Measured Time,
    TimeSpan AnalyzerTime,
    IReadOnlyDictionary<string, TimeSpan> TimePerAnalyzer,
    IReadOnlyDictionary<string, int> DiagnosticsById)
{
    /// <param name="corpus">The parsed corpus; each run analyzes a fresh compilation of it.</param>
    /// <param name="analyzers">The analyzers to run.</param>
    /// <param name="concurrent">Run callbacks concurrently, as csc does (telemetry then sums callback wall time over
    /// threads, as /reportanalyzer does); serial by default so that wall and CPU time describe the same work.</param>
    public static async Task<AnalyzerRun> ExecuteAsync(CorpusCompilation corpus, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent)
    {
        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = corpus.CreateFresh().WithAnalyzers(analyzers, options);

        var (diagnostics, time) = await Measured.OfAsync(() => withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None)).ConfigureAwait(false);
        if (!failures.IsEmpty)
        {
            throw new BenchmarkFailedException($"analyzer failed on {corpus.Corpus.Label}: {failures.First()}");
        }

        var perAnalyzer = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
            perAnalyzer[analyzer.GetType().Name] = telemetry.ExecutionTime;
        }

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new AnalyzerRun(
            time,
            TimeSpan.FromTicks(perAnalyzer.Values.Sum(t => t.Ticks)),
            perAnalyzer,
            byId);
    }
}
