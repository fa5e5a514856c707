using System.CommandLine;
using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Verdicts;
using CowGuard.Scenarios.Interpretation;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard draw FILE [--era E] [--backing PATTERN] [--output FILE.svg]</c>: an SVG of processes → page-table
/// entries → pages at every <c>snapshot "label"</c> of the scenario, and at the end.
/// </summary>
internal static class DrawCommand
{
    public static Command Create(CliConsole console)
    {
        var file = ScenarioSelection.FileArgument();
        var era = ScenarioSelection.EraOption(VmModel.Era.AnonExclusive.Name);
        var backing = ScenarioSelection.BackingOption();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the SVG here instead of to standard output." };
        var command = new Command("draw", "Draw processes, page-table entries and pages at each 'snapshot' step as SVG.") { file, era, backing, output };
        command.SetAction(parse => console.Guard(() =>
        {
            var code = ScenarioSelection.ParseEras(parse.GetValue(era)!) is [var one] ? one : throw console.UsageError($"draw shows one era: give one of {Scenarios.Verdicts.EraNames.Spellings}");
            var instance = ScenarioSelection.Load(parse.GetValue(file)!, parse.GetValue(backing))[0];
            var result = Interpreter.Run(instance, code, new RunOptions(TakeSnapshots: true));
            var panels = result.Steps
                .Where(s => s.Snapshot is not null)
                .Select(s => (((BoundSnapshot)s.Statement).Label, s.Snapshot!))
                .Append((result.Error is null ? $"end: {VerdictText.Format(result.Observed)}" : "stopped by an error", result.FinalSnapshot!))
                .ToList();
            var svg = SvgPicture.Render($"{instance.DisplayName} — era {ScenarioSelection.EraTitle(code)}", panels);
            if (parse.GetValue(output) is { } target)
            {
                File.WriteAllText(target.FullName, svg);
                console.Plain.WriteLine($"wrote {target.FullName}");
            }
            else
            {
                console.Plain.Write(svg);
            }

            if (result.Error is { } error)
            {
                console.Error.WriteLine(error.Message);
                return CliConsole.ScenarioErrorExitCode;
            }

            return 0;
        }));
        return command;
    }
}
