using System.Globalization;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>Renders the compiler-cpu results: every compile, the with/without summary, and the sampling profile.</summary>
internal static class CompilerCpuReport
{
    /// <param name="heading">What was compiled, and how.</param>
    public static string Render(string heading, IReadOnlyList<CscRun> runs, PerfProfile? profile)
    {
        if (runs.Count == 0)
        {
            // --pairs 0: the sampled compile alone.
            return profile is null ? heading : $"{heading}\n\n{RenderProfile(profile)}";
        }

        var each = new MarkdownTable(
            "#", "csc", "wall s", "CPU s", "/reportanalyzer total s", "CowGuard s", "CowGuard % of wall", "CG0001", "CowGuard diagnostics", "compile errors");
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            each.Row(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                r.WithCowGuard ? "with CowGuard" : "without",
                S(r.Time.Wall),
                S(r.Time.Cpu),
                F(r.Report.TotalSeconds, "F2"),
                r.WithCowGuard ? F(r.Report.CowGuardSeconds, "F2") : "-",
                r.WithCowGuard ? Pct(r.Report.CowGuardSeconds / r.Time.Wall.TotalSeconds) : "-",
                r.Cg0001.ToString(CultureInfo.InvariantCulture),
                r.CowGuardDiagnostics.ToString(CultureInfo.InvariantCulture),
                r.Errors.ToString(CultureInfo.InvariantCulture));
        }

        var with = runs.Where(r => r.WithCowGuard).ToList();
        var without = runs.Where(r => !r.WithCowGuard).ToList();

        // Runs alternate with/without, so consecutive runs form the pairs.
        var differences = Enumerable.Range(0, runs.Count / 2)
            .Select(i => Signed(runs[2 * i], runs[2 * i + 1]))
            .Order()
            .ToList();
        var withoutCpu = Median(without.Select(r => r.Time.Cpu.TotalSeconds));
        var summary = new MarkdownTable("figure", "with CowGuard", "without", "difference", "% of the compile without CowGuard");
        summary.Row("CPU s, median", F(Median(with.Select(r => r.Time.Cpu.TotalSeconds)), "F2"), F(withoutCpu, "F2"),
            F(Median(with.Select(r => r.Time.Cpu.TotalSeconds)) - withoutCpu, "F2"),
            Pct((Median(with.Select(r => r.Time.Cpu.TotalSeconds)) - withoutCpu) / withoutCpu));
        summary.Row("CPU s, minimum", F(with.Min(r => r.Time.Cpu.TotalSeconds), "F2"), F(without.Min(r => r.Time.Cpu.TotalSeconds), "F2"),
            F(with.Min(r => r.Time.Cpu.TotalSeconds) - without.Min(r => r.Time.Cpu.TotalSeconds), "F2"),
            Pct((with.Min(r => r.Time.Cpu.TotalSeconds) - without.Min(r => r.Time.Cpu.TotalSeconds)) / without.Min(r => r.Time.Cpu.TotalSeconds)));
        summary.Row("CPU s, with − without per pair (min / median / max)", "-", "-",
            $"{F(differences[0], "F2")} / {F(Median(differences), "F2")} / {F(differences[^1], "F2")}",
            Pct(Median(differences) / withoutCpu));
        summary.Row("wall s, median", F(Median(with.Select(r => r.Time.Wall.TotalSeconds)), "F1"), F(Median(without.Select(r => r.Time.Wall.TotalSeconds)), "F1"), "-", "-");
        summary.Row("/reportanalyzer CowGuard s, median", F(Median(with.Select(r => r.Report.CowGuardSeconds)), "F2"), "-", "-",
            Pct(Median(with.Select(r => r.Report.CowGuardSeconds)) / withoutCpu));

        var errors = runs.Max(r => r.Errors);
        var warning = errors == 0
            ? ""
            : $"\n\n**{errors:N0} compile errors**: parts of the tree do not bind (missing references), so the compiler and " +
              "CowGuard did less work there than a real build would; CowGuard's share is measured on what compiled.";
        var text = $"{heading}{warning}\n\n{each}\n{summary}";
        return profile is null ? text : text + "\n" + RenderProfile(profile);
    }

    private static string RenderProfile(PerfProfile profile)
    {
        var table = new MarkdownTable("perf cpu-clock samples (one compile with CowGuard)", "samples", "CPU s", "% of the compile");
        table.Row("whole compile (all threads)", N(profile.Samples), F(profile.Seconds(profile.Samples), "F2"), "100%");
        table.Row("**CowGuard frame on the stack**", N(profile.CowGuardSamples), F(profile.Seconds(profile.CowGuardSamples), "F2"), Pct(profile.CowGuardPercent / 100));
        foreach (var (entry, samples) in profile.ByEntryPoint.OrderByDescending(p => p.Value))
        {
            table.Row($"… entered through {entry}", N(samples), F(profile.Seconds(samples), "F2"), Pct((double)samples / profile.Samples));
        }

        var inner = new MarkdownTable("innermost CowGuard method (top 12)", "samples", "% of CowGuard's");
        foreach (var (method, samples) in profile.ByInnermostMethod.OrderByDescending(p => p.Value).Take(12))
        {
            inner.Row(method, N(samples), Pct((double)samples / profile.CowGuardSamples));
        }

        return $"{table}\n{inner}";
    }

    private static double Signed(CscRun a, CscRun b) =>
        a.WithCowGuard ? (a.Time.Cpu - b.Time.Cpu).TotalSeconds : (b.Time.Cpu - a.Time.Cpu).TotalSeconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string S(TimeSpan time) => time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
