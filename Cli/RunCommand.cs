using System.CommandLine;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Interpretation;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard run FILE [--era E|all] [--backing PATTERN]</c>: runs a scenario and prints every check as PASS/FAIL
/// with observed and expected values, then the verdict next to the one the file declares for that era.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = ScenarioSelection.FileArgument();
        var era = ScenarioSelection.EraOption("X");
        var backing = ScenarioSelection.BackingOption();
        var command = new Command("run", "Run a scenario under one era or all eras.") { file, era, backing };
        command.SetAction(parse => console.Guard(() =>
        {
            var eras = ScenarioSelection.ParseEras(parse.GetValue(era)!) ?? throw console.UsageError($"unknown era '{parse.GetValue(era)}' (M, F, R, X or all)");
            var failed = false;
            foreach (var instance in ScenarioSelection.Load(parse.GetValue(file)!, parse.GetValue(backing)))
            {
                foreach (var code in eras)
                {
                    var result = Interpreter.Run(instance, code, RunOptions.Default);
                    Print(console.Plain, result);
                    if (result.Error is { } error)
                    {
                        console.Error.WriteLine(error.Message);
                        failed = true;
                    }
                }
            }

            return failed ? CliConsole.ScenarioErrorExitCode : 0;
        }));
        return command;
    }

    private static void Print(TextWriter output, RunResult result)
    {
        output.WriteLine($"[RUN] {result.Instance.DisplayName}   (era {ScenarioSelection.EraTitle(result.Era)})");
        foreach (var check in result.Checks)
        {
            output.WriteLine($"  {check.Format()}");
        }

        if (result.Error is not null)
        {
            output.WriteLine("  ERROR (see below)");
            return;
        }

        var agreement = result.MatchesDeclaration ? "as declared" : $"DIFFERS from the declared {VerdictText.Format(result.Expected)}";
        output.WriteLine($"  => {VerdictText.Format(result.Observed)} ({agreement})");
    }
}
