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

    private static readonly TimeSpan MaxPerMutant = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ten_thousand_mutated_snippets_never_make_an_analyzer_throw()
    {
        var mutantCount = SourceFiles.LongRuns ? 100_000 : int.TryParse(Environment.GetEnvironmentVariable("COWGUARD_MUTANTS"), out var n) ? n : 10_000;
        var snippets = Snippets.FromAnalyzerTests();
        Assert.True(snippets.Count >= 50, $"only {snippets.Count} snippets found in Analyzers.Tests");
        var tokens = snippets.Select(s => CSharpSyntaxTree.ParseText(s).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray()).ToArray();
        var pool = tokens.SelectMany(t => t).Select(t => t.Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var baseCompilation = AnalyzerRun.Compile("Mutant", [
            CSharpSyntaxTree.ParseText(string.Empty, AnalyzerRun.ParseOptions, "Mutant.cs"),
            CSharpSyntaxTree.ParseText(TestApis.Source, AnalyzerRun.ParseOptions, "TestApis.cs"),
        ], AnalyzerRun.CoreReferences);

        var failures = new ConcurrentBag<string>();
        var slowest = new ConcurrentBag<(TimeSpan Time, int Mutant)>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, mutantCount, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (mutant, _) =>
        {
            var random = new Random(Seed + mutant);
            var which = random.Next(snippets.Count);
            var text = Mutate(snippets[which], tokens[which], pool, random);
            if (random.Next(3) == 0)
            {
                text = Mutate(text, CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToArray(), pool, random);
            }

            var compilation = baseCompilation.ReplaceSyntaxTree(baseCompilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(text, AnalyzerRun.ParseOptions, "Mutant.cs"));
            var result = await AnalyzerRun.AnalyzeAsync(compilation);
            result.Failures.ToList().ForEach(f => failures.Add($"mutant {mutant} (seed {Seed + mutant}, snippet {which}): {f}"));
            slowest.Add((result.Elapsed, mutant));
        });

        var max = slowest.MaxBy(s => s.Time);
        output.WriteLine($"{mutantCount} mutants of {snippets.Count} snippets in {clock.Elapsed.TotalSeconds:F1} s; slowest mutant {max.Mutant}: {max.Time.TotalMilliseconds:F0} ms");
        Assert.Empty(failures);
        Assert.True(max.Time < MaxPerMutant, $"mutant {max.Mutant} took {max.Time}");
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
