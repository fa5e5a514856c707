using System.Collections.Concurrent;
using System.Diagnostics;
using CowGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Analyzers.Tests.Robustness;

/// <summary>
/// At least 10,000 broken versions of the analyzer tests' snippets (token deletions, insertions of tokens taken from
/// any snippet, duplications of token runs; sometimes two at once), from a fixed seed: no analyzer may throw, and no
/// mutant may take long. RobustnessTests.cs next door mutates one kitchen-sink snippet at every third token; this
/// covers every snippet with random, compound mutations.
/// </summary>
public sealed class SnippetMutationTests(ITestOutputHelper output)
{
    private const int Seed = 20_201_129;

    /// <summary>
    /// Mutants analysed together in one compilation, each its own syntax tree: the analyzers' per-compilation setup
    /// is paid once per batch. Mutants of the same snippet then clash (duplicate types, merged partials, several
    /// top-level-statement files) — more broken code for the analyzers to survive; a failing batch is re-run mutant
    /// by mutant to name the culprit.
    /// </summary>
    private const int BatchSize = 10;

    private static readonly TimeSpan MaxPerBatch = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Ten_thousand_mutated_snippets_never_make_an_analyzer_throw()
    {
        var mutantCount = SourceFiles.LongRuns ? 100_000 : int.TryParse(Environment.GetEnvironmentVariable("COWGUARD_MUTANTS"), out var n) ? n : 10_000;
        var snippets = Snippets.FromAnalyzerTests();
        Assert.True(snippets.Count >= 50, $"only {snippets.Count} snippets found in Analyzers.Tests");
        var tokens = snippets.Select(s => CSharpSyntaxTree.ParseText(s).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray()).ToArray();
        var pool = tokens.SelectMany(t => t).Select(t => t.Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var baseCompilation = AnalyzerRun.Compile("Mutant", [CSharpSyntaxTree.ParseText(TestApis.Source, AnalyzerRun.ParseOptions, "TestApis.cs")], AnalyzerRun.CoreReferences);

        var failures = new ConcurrentBag<string>();
        var slowest = new ConcurrentBag<(TimeSpan Time, int Batch)>();
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await Parallel.ForAsync(0, (mutantCount + BatchSize - 1) / BatchSize, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (batch, _) =>
        {
            var mutants = Enumerable.Range(batch * BatchSize, Math.Min(BatchSize, mutantCount - (batch * BatchSize)))
                .Select(mutant => (Mutant: mutant, Tree: MutantTree(mutant, snippets, tokens, pool)))
                .ToList();
            var result = await AnalyzerRun.AnalyzeAsync(baseCompilation.AddSyntaxTrees(mutants.Select(m => m.Tree)));
            slowest.Add((result.Elapsed, batch));
            if (result.Failures.Count > 0)
            {
                // Attribute the failure: analyze each mutant of the batch on its own.
                foreach (var (mutant, tree) in mutants)
                {
                    var alone = await AnalyzerRun.AnalyzeAsync(baseCompilation.AddSyntaxTrees(tree));
                    alone.Failures.ToList().ForEach(f => failures.Add($"mutant {mutant} (seed {Seed + mutant}): {f}\n{tree}"));
                }

                result.Failures.ToList().ForEach(f => failures.Add($"batch {batch}: {f}"));
            }
        });

        var max = slowest.MaxBy(s => s.Time);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine($"{mutantCount} mutants of {snippets.Count} snippets in {clock.Elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU (the machine is shared); slowest batch of {BatchSize} mutants: {max.Batch}, {max.Time.TotalMilliseconds:F0} ms");
        Assert.Empty(failures);
        Assert.True(max.Time < MaxPerBatch, $"batch {max.Batch} took {max.Time}");
    }

    /// <summary>Mutant number <paramref name="mutant"/>: a snippet chosen and mutated once (a third of the time twice) from seed + mutant.</summary>
    private static SyntaxTree MutantTree(int mutant, IReadOnlyList<string> snippets, SyntaxToken[][] tokens, string[] pool)
    {
        var random = new Random(Seed + mutant);
        var which = random.Next(snippets.Count);
        var text = Mutate(snippets[which], tokens[which], pool, random);
        if (random.Next(3) == 0)
        {
            text = Mutate(text, CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray(), pool, random);
        }

        return CSharpSyntaxTree.ParseText(text, AnalyzerRun.ParseOptions, $"Mutant{mutant}.cs");
    }

    /// <summary>One token-level mutation: delete a token, insert a pool token before it, or duplicate a run of up to 8 tokens.</summary>
    private static string Mutate(string text, SyntaxToken[] tokens, string[] pool, Random random)
    {
        if (tokens.Length == 0)
        {
            return text;
        }

        var at = random.Next(tokens.Length);
        var span = tokens[at].Span;
        switch (random.Next(3))
        {
            case 0:
                return text.Remove(span.Start, span.Length);
            case 1:
                return text.Insert(span.Start, pool[random.Next(pool.Length)] + " ");
            default:
                var end = tokens[Math.Min(tokens.Length - 1, at + random.Next(8))].Span.End;
                return text.Insert(end, " " + text[span.Start..end]);
        }
    }
}
