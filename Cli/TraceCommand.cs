using System.CommandLine;
using CowGuard.Scenarios.Interpretation;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard trace FILE [--era E] [--backing PATTERN]</c>: each statement with what it changed in the model —
/// faults, COW copies and reuses, unshares, fork copies, references and pins — from the machine's event trace.
/// </summary>
internal static class TraceCommand
{
    public static Command Create(CliConsole console)
    {
        var file = ScenarioSelection.FileArgument();
        var era = ScenarioSelection.EraOption(VmModel.Era.AnonExclusive.Name);
        var backing = ScenarioSelection.BackingOption();
        var all = new Option<bool>("--all-steps") { Description = "Also list the statements that changed nothing." };
        var command = new Command("trace", "Show each step of a scenario and what it changed (one backing: the first, or --backing).") { file, era, backing, all };
        command.SetAction(parse => console.Guard(() =>
        {
            var eras = ScenarioSelection.ParseEras(parse.GetValue(era)!) is [var one] ? one : throw console.UsageError($"trace shows one era: give one of {Scenarios.Verdicts.EraNames.Spellings}");
            var instance = ScenarioSelection.Load(parse.GetValue(file)!, parse.GetValue(backing))[0];
            var result = Interpreter.Run(instance, eras, RunOptions.Default);
            new TraceWriter(console.Plain).Write(result, parse.GetValue(all));
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
