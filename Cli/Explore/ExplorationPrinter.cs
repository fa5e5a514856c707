using System.Globalization;
using CowGuard.Exploration;

namespace CowGuard.Cli.Explore;

/// <summary>The explore command's output: one line per level as it finishes, then the figures and the counterexamples.</summary>
internal static class ExplorationPrinter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintLevel(TextWriter output, LevelStatistics level) =>
        output.WriteLine(string.Create(Invariant,
            $"  depth {level.Depth,2}: {level.NewStates,12:N0} new states  {level.Transitions,14:N0} transitions  {level.Merged,14:N0} merged  {level.Elapsed.TotalSeconds,8:F1} s{(level.Complete ? "" : "  (time limit: level incomplete)")}"));

    public static void PrintSummary(TextWriter output, ExplorationReport report)
    {
        var depth = report.Exhausted ? $"{report.DepthReached} (exhausted: no new state at depth {report.DepthReached}, so every length is covered)"
            : report.TimedOut ? $"{report.DepthReached} (time limit)"
            : report.DepthReached.ToString(Invariant);
        output.WriteLine(string.Create(Invariant, $"  states found {report.StatesFound:N0}, merged {report.StatesMerged:N0}, transitions {report.Transitions:N0}, depth reached {depth}"));
        output.WriteLine(string.Create(Invariant,
            $"  time {report.Elapsed.TotalSeconds:F1} s wall, {report.CpuTime.TotalSeconds:F1} s CPU ({report.Options.Workers} workers); peak memory {report.PeakWorkingSetBytes / (1024.0 * 1024):F0} MiB (visited set {report.VisitedSetBytes / (1024.0 * 1024):F1} MiB)"));
        if (report.ExemptHugetlbGetLeaks > 0)
        {
            output.WriteLine(string.Create(Invariant, $"  exempt: {report.ExemptHugetlbGetLeaks:N0} steps saw a hugetlb FOLL_GET leak (cow.c XFAIL: hugetlb_wp reuses by mapcount)"));
        }

        if (report.Options.VerifyMerges)
        {
            output.WriteLine(string.Create(Invariant, $"  merges verified {report.MergesVerified:N0}, mismatches {report.MergeMismatches.Count}"));
            foreach (var mismatch in report.MergeMismatches)
            {
                output.WriteLine($"    MISMATCH {mismatch}");
            }
        }

        if (report.Counterexamples.Count == 0)
        {
            output.WriteLine($"  no oracle violated by any sequence of up to {report.DepthReached} steps");
            return;
        }

        foreach (var counterexample in report.Counterexamples.Values)
        {
            output.WriteLine($"  VIOLATED {counterexample.Oracle} in {counterexample.Length} steps: {string.Join(" ; ", counterexample.Steps)}");
        }
    }
}
