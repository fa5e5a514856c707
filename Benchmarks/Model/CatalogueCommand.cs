using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CowGuard.Benchmarks.Reporting;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// `catalogue`: the whole scenario catalogue (every cow.c and bug scenario, every backing, every era the matrix runs) through the
/// public command `cowguard matrix`, timed end to end as a user runs it (process start, loading every .cow file,
/// the interpreter on VmModel, rendering). The interpreter is internal to CowGuard.Scenarios, which the benchmarks do
/// not reference, so the public CLI is the way in.
/// The matrix summary line must be present: a catalogue that fails to load fails the step.
/// </summary>
internal static partial class CatalogueCommand
{
    /// <summary>CliConsole.ScenarioErrorExitCode: some runs ended in a scenario error (they were still run and timed) or the
    /// catalogue did not load (then the summary line is missing and the step fails).</summary>
    private const int ScenarioErrorExitCode = 2;

    public static Command Create()
    {
        var cliOption = new Option<FileInfo>("--cli") { Description = "The cowguard.dll to run.", Required = true };
        cliOption.AcceptExistingOnly();
        var repetitions = CommandOptions.PositiveInt("--repetitions", 3, "Timed runs of cowguard matrix.");
        var output = CommandOptions.Out();
        var command = new Command("catalogue", "The whole scenario catalogue through cowguard matrix, timed end to end.") { cliOption, repetitions, output };
        command.SetAction(parse => BenchmarkCommand.Guard(() =>
        {
            Run(parse.GetValue(cliOption)!.FullName, parse.GetValue(repetitions), CommandOptions.Created(parse.GetValue(output)!));
            return 0;
        }));
        return command;
    }

    private static void Run(string cli, int repetitions, string outDir)
    {
        var times = new List<double>();
        Match summary = Match.Empty;
        for (var i = 0; i < repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var (output, _) = ProcessRunner.RunAllowingExitCodes("dotnet", [cli, "matrix"], TimeSpan.FromMinutes(30), [0, ScenarioErrorExitCode]);
            stopwatch.Stop();
            summary = MatrixSummary().Match(output);
            if (!summary.Success)
            {
                throw new ExternalCommandException($"cowguard matrix printed no summary line (the catalogue did not load?):\n{output[..Math.Min(output.Length, 2000)]}");
            }

            times.Add(stopwatch.Elapsed.TotalSeconds);
        }

        times.Sort();
        var median = times[times.Count / 2];
        var runs = int.Parse(summary.Groups["runs"].Value, CultureInfo.InvariantCulture);
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"Scenario catalogue: `cowguard matrix` = {summary.Value.Trim()}; median of {repetitions}: {median:F2} s wall " +
            $"(2 cores, Parallel.For over scenarios) = {median * 1000 / runs:F2} ms per run\n");
        File.WriteAllText(Path.Combine(outDir, "catalogue.md"), report);
        Console.WriteLine(report);
    }

    [GeneratedRegex(@"(?<runs>\d+) runs \(\d+ scenarios × \d+ eras\):[^\n]*")]
    private static partial Regex MatrixSummary();
}
