using System.Globalization;
using CowGuard.Analyzers.Tests.Robustness;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>
/// The static/dynamic differential soundness test (docs/reliability.md, "Analyzer soundness differential"): generated
/// programs, analysed and run; every page reference taken at run time without Write or BreakCow must have been
/// reported or justified. CI checks a fixed set of seeds; <c>COWGUARD_LONG_RUNS=1</c> (or
/// <c>COWGUARD_DIFFERENTIAL_PROGRAMS=N</c>) checks 100,000 (N). A counterexample is shrunk (<see cref="ProgramShrinker"/>) and printed, to
/// be fixed and kept as an analyzer test.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    /// <summary>The first seed; <c>COWGUARD_DIFFERENTIAL_SEED</c> moves it (to split a long run into chunks, or to search
    /// other programs).</summary>
    private static readonly ulong BaseSeed =
        ulong.TryParse(Environment.GetEnvironmentVariable("COWGUARD_DIFFERENTIAL_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : 20_201_129;

    /// <summary>Programs per compilation: the compilation, analysis and load are paid once per batch.</summary>
    private const int BatchSize = 25;

    private static int ProgramCount =>
        int.TryParse(Environment.GetEnvironmentVariable("COWGUARD_DIFFERENTIAL_PROGRAMS"), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : SourceFiles.LongRuns ? 100_000 : 200;

    [Fact]
    public void No_page_reference_without_break_cow_goes_unreported()
    {
        var count = ProgramCount;
        var (result, elapsed) = DifferentialRun.CheckSeeds(BaseSeed, count, BatchSize);
        output.WriteLine(Report(result, elapsed, count));
        if (result.Counterexamples.Count > 0)
        {
            // COWGUARD_DIFFERENTIAL_SHRINK=N shrinks the counterexamples of the first N failing programs (default 1).
            var shrinkCount = int.TryParse(Environment.GetEnvironmentVariable("COWGUARD_DIFFERENTIAL_SHRINK"), out var n) ? n : 1;
            var failing = result.Counterexamples.Select(c => c.Program).Distinct().Order().Take(shrinkCount);
            var shrunk = string.Join("\n\n", failing.Select(program => $"program {program}, shrunk:\n{Shrink(program)}"));
            Assert.Fail($"{result.Counterexamples.Count} silent unsafe calls in {result.Counterexamples.Select(c => c.Program).Distinct().Count()} programs\n{shrunk}\n\nthe first unshrunk: {result.Counterexamples.OrderBy(c => c.Program).First()}");
        }

        // The generator must keep exercising what the oracle is about.
        Assert.True(result.UnsafeCalls > result.Programs / 4, $"only {result.UnsafeCalls} unsafe calls in {result.Programs} programs");
        Assert.True(result.UnsafeReported > 0 && result.UnsafeJustified > 0, "no reported or no justified unsafe call");
        foreach (var shape in Enum.GetNames<StatementKind>().Select(s => $"statement:{s}")
            .Concat(Enum.GetNames<ExpressionKind>().Select(e => $"expression:{e}"))
            .Concat(Enum.GetNames<FunctionKind>().Select(f => $"call:{f}")))
        {
            Assert.True(result.Shapes.GetValueOrDefault(shape) > 0, $"the generator never produced {shape}");
        }
    }

    /// <summary>The failing program of <paramref name="index"/> shrunk to a 1-minimal one, as source.</summary>
    private static string Shrink(int index)
    {
        var shrunk = ProgramShrinker.Shrink(DifferentialRun.Generate(BaseSeed, index), FirstFailing);
        return ProgramRenderer.Render(shrunk, 0).Source;
    }

    /// <summary>The index of the first program of a batch that has a counterexample, or -1.</summary>
    internal static int FirstFailing(IReadOnlyList<ProgramSpec> programs)
    {
        var result = DifferentialRun.Check(programs);
        return result.Counterexamples.Count == 0 ? -1 : result.Counterexamples.Min(c => c.Program);
    }

    internal static string Report(DifferentialResult result, TimeSpan elapsed, int count)
    {
        var lines = new List<string>
        {
            $"{result.Programs} programs (seeds {BaseSeed}..{BaseSeed + (ulong)count - 1}) in {elapsed.TotalSeconds:F1} s: " +
            $"{result.StaticSites} call sites, {result.Calls} page references taken at run time ({result.Refused} refused by the model), " +
            $"{result.UnsafeCalls} without Write or BreakCow: {result.UnsafeReported} reported, {result.UnsafeJustified} justified, " +
            $"{result.Counterexamples.Count} silent",
            $"time across threads: compile {result.CompileTime.TotalSeconds:F1} s, analyse {result.AnalyzeTime.TotalSeconds:F1} s, run {result.RunTime.TotalSeconds:F1} s",
            $"diagnostics: {string.Join(", ", result.Diagnostics.OrderBy(d => d.Key).Select(d => $"{d.Key} {d.Value}"))}; " +
            $"{result.DiagnosedSites} diagnosed call sites, {result.DiagnosedSitesSeenUnsafe} of them on the path of an unsafe reference at run time",
            $"shapes ({result.Shapes.Count}): " + string.Join(", ", result.Shapes.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")),
        };
        return string.Join("\n", lines);
    }
}
