using System.Collections.Immutable;
using CowGuard.Analyzers.Semantics;
using CowGuard.Benchmarks.Reporting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>The compilation-start gate of one corpus: CPU per compilation, with warm and with freshly read metadata.</summary>
internal sealed record GateResult(string Corpus, bool Registers, TimeSpan WarmMetadata, TimeSpan FreshMetadata);

/// <summary>
/// CowGuard's compilation-start gate alone: <see cref="CowGuardCompilation.For"/>, the shared state every CowGuard
/// analyzer asks for at compilation start (annotation lookup; null means "register nothing"). Timed on fresh
/// compilations of a corpus, repeated, medians of the thread's CPU time: once over reference metadata that earlier compilations
/// have read (a long-lived compiler server or IDE), once over freshly loaded metadata (a cold csc process, where the
/// gate may be the first code to read an assembly's type tables — work the compiler's own binding then partly reuses).
/// </summary>
internal static class GateMeasurement
{
    private static readonly AnalyzerOptions NoOptions = new(ImmutableArray<AdditionalText>.Empty);

    public static GateResult Measure(CorpusCompilation corpus, int repetitions)
    {
        var registers = CowGuardCompilation.For(corpus.CreateFresh(), NoOptions) is not null;
        if (registers != corpus.Corpus.Profile.ReferencesVmModel)
        {
            throw new BenchmarkFailedException(
                $"the gate {(registers ? "registers" : "does not register")} the rules on {corpus.Corpus.Label}, which {(registers ? "does not reference" : "references")} VmModel");
        }

        return new GateResult(
            corpus.Corpus.Label,
            registers,
            MedianCpu(repetitions, corpus.CreateFresh),
            MedianCpu(repetitions, corpus.CreateWithFreshMetadata));
    }

    private static TimeSpan MedianCpu(int repetitions, Func<Compilation> create)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < repetitions; i++)
        {
            var compilation = create();
            var before = ResourceUsage.ThreadCpu();
            _ = CowGuardCompilation.For(compilation, NoOptions);
            samples.Add(ResourceUsage.ThreadCpu() - before);
        }

        return samples.Order().ElementAt(samples.Count / 2);
    }
}
