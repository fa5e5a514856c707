using System.Collections.Immutable;
using CowGuard.Analyzers;
using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// Compiles each corpus without analyzers, then analyzes it with the empty baseline, the no-op operation baseline and
/// CowGuard's analyzers, repeating the four in turn and keeping the medians. Every CowGuard run must report exactly the planted CG0001 defects and
/// nothing else, so a run that silently stops analyzing (or starts misfiring) fails instead of looking fast.
/// </summary>
internal sealed class OverheadHarness(int repetitions, bool concurrentAnalysis, TextWriter log)
{
    private readonly ImmutableArray<DiagnosticAnalyzer> _cowGuard = CowGuardAnalyzerSet.Create();
    private readonly ImmutableArray<DiagnosticAnalyzer> _empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
    private readonly ImmutableArray<DiagnosticAnalyzer> _noOp = ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpOperationAnalyzer());

    /// <summary>Runs a small corpus once so the JIT has compiled Roslyn and the analyzers before anything is timed.</summary>
    public async Task WarmUpAsync()
    {
        foreach (var profile in CorpusProfile.All)
        {
            await MeasureOnceAsync(CorpusCompilation.Parse(CorpusGenerator.Generate(profile, 2_000))).ConfigureAwait(false);
        }
    }

    public async Task<OverheadResult> MeasureAsync(CorpusProfile profile, int targetLines)
    {
        var corpus = CorpusGenerator.Generate(profile, targetLines);
        var compilation = CorpusCompilation.Parse(corpus);
        var samples = new List<Sample>();
        for (var i = 0; i < RepetitionsAt(corpus.Lines); i++)
        {
            samples.Add(await MeasureOnceAsync(compilation).ConfigureAwait(false));
        }

        var result = new OverheadResult(
            corpus,
            compilation.ParseTime,
            Median(samples, s => s.Emit),
            Median(samples, s => s.Empty.Time),
            Median(samples, s => s.NoOp.Time),
            Median(samples, s => s.CowGuard.Time),
            Median(samples, s => s.CowGuard.AnalyzerTime),
            samples[0].CowGuard.TimePerAnalyzer.Keys.ToDictionary(name => name, name => Median(samples, s => s.CowGuard.TimePerAnalyzer[name]), StringComparer.Ordinal),
            corpus.ExpectedCg0001);
        log.WriteLine(
            $"  {corpus.Label,-14} {corpus.Files.Count,6} files {corpus.Lines,9:N0} lines  compile {result.Compile.Wall.TotalMilliseconds,8:F0} ms wall {result.Compile.Cpu.TotalMilliseconds,8:F0} ms CPU  " +
            $"callbacks {result.CowGuardCallbacks.TotalMilliseconds,8:F1} ms ({result.CallbackPercent:F3}%)  own work CPU {result.OwnWorkPercent:F2}%  CG0001 {result.Cg0001}");
        return result;
    }

    /// <summary>The requested repetitions for small corpora, scaled down with size (a run of the 200k-line corpus takes
    /// minutes on two cores; its relative variation is smaller than a small corpus's, and the full suite must fit an hour).</summary>
    private int RepetitionsAt(int lines) => Math.Clamp((int)((long)repetitions * 100_000 / lines), 1, repetitions);

    private async Task<Sample> MeasureOnceAsync(CorpusCompilation compilation)
    {
        Settle();
        var emit = compilation.TimeEmit();
        Settle();
        var empty = await AnalyzerRun.ExecuteAsync(compilation, _empty, concurrentAnalysis).ConfigureAwait(false);
        Settle();
        var noOp = await AnalyzerRun.ExecuteAsync(compilation, _noOp, concurrentAnalysis).ConfigureAwait(false);
        Settle();
        var cowGuard = await AnalyzerRun.ExecuteAsync(compilation, _cowGuard, concurrentAnalysis).ConfigureAwait(false);
        Check(compilation.Corpus, empty, cowGuard);
        Check(compilation.Corpus, noOp, cowGuard);
        return new Sample(emit, empty, noOp, cowGuard);
    }

    private static void Check(GeneratedCorpus corpus, AnalyzerRun baseline, AnalyzerRun cowGuard)
    {
        if (baseline.DiagnosticsById.Count != 0)
        {
            throw new BenchmarkFailedException($"a baseline analyzer reported diagnostics on {corpus.Label}");
        }

        var cg0001 = cowGuard.DiagnosticsById.GetValueOrDefault(RuleIdentifiers.PageReferenceWithoutBreakCow);
        var others = cowGuard.DiagnosticsById.Where(p => p.Key != RuleIdentifiers.PageReferenceWithoutBreakCow).ToList();
        if (cg0001 != corpus.ExpectedCg0001 || others.Count != 0)
        {
            throw new BenchmarkFailedException(
                $"CowGuard on {corpus.Label}: expected exactly {corpus.ExpectedCg0001} CG0001 and nothing else, got " +
                string.Join(", ", cowGuard.DiagnosticsById.Select(p => $"{p.Value} {p.Key}")));
        }
    }

    /// <summary>Collects garbage between phases so one phase's allocations are not paid for by the next one's timing.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static TimeSpan Median(List<Sample> samples, Func<Sample, TimeSpan> select)
    {
        var sorted = samples.Select(select).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Wall and CPU medians taken separately (each is the median of its own clock).</summary>
    private static Measured Median(List<Sample> samples, Func<Sample, Measured> select) =>
        new(Median(samples, s => select(s).Wall), Median(samples, s => select(s).Cpu));

    private sealed record Sample(Measured Emit, AnalyzerRun Empty, AnalyzerRun NoOp, AnalyzerRun CowGuard);
}
