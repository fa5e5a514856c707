using System.CommandLine;
using CowGuard.Cli.Kernel;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard run FILE [--era E|all] [--backing PATTERN] [--kernel] [--report-only]</c>: runs a scenario and prints
/// every check as PASS/FAIL with observed and expected values, then the verdict next to the one the file declares
/// for that era. With --kernel each instance also runs on the live kernel and is compared with the model's era for
/// that kernel. Exit code 4 when a verdict differs from the declared one (see <see cref="VerdictGate"/>).
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = ScenarioSelection.FileArgument();
        var era = ScenarioSelection.EraOption(Era.AnonExclusive.Name);
        var backing = ScenarioSelection.BackingOption();
        var kernel = KernelOption.Create();
        var reportOnly = VerdictGate.Option();
        var command = new Command("run", "Run a scenario under one era or all eras (and with --kernel on the live kernel).") { file, era, backing, kernel, reportOnly };
        command.SetAction(parse => console.Guard(() =>
        {
            var eras = ScenarioSelection.ParseEras(parse.GetValue(era)!) ?? throw console.UsageError($"unknown era '{parse.GetValue(era)}' ({EraNames.Spellings} or all)");
            var instances = ScenarioSelection.Load(parse.GetValue(file)!, parse.GetValue(backing));
            var runs = instances.Select(_ => new Dictionary<Era, RunResult>()).ToList();
            RunResult Model(int i, Era modelEra)
            {
                if (!runs[i].TryGetValue(modelEra, out var result))
                {
                    result = Interpreter.Run(instances[i], modelEra, RunOptions.Default);
                    runs[i][modelEra] = result;
                }

                return result;
            }

            var live = parse.GetValue(kernel) is { } target ? LiveKernelRun.Start(console, target, instances, Model) : null;
            var (failed, differs) = (false, false);
            for (var i = 0; i < instances.Count; i++)
            {
                foreach (var modelEra in eras)
                {
                    var result = Model(i, modelEra);
                    Print(console.Plain, result);
                    if (result.Error is { } error)
                    {
                        console.Error.WriteLine(error.Message);
                        failed = true;
                    }

                    differs |= result.Error is null && !result.MatchesDeclaration;
                }

                if (live is not null)
                {
                    LiveRunPrinter.Print(console.Plain, live, live.Comparisons[i]);
                }
            }

            var liveErrors = live?.ReportErrors(console) ?? false;
            return VerdictGate.ExitCode(failed || liveErrors, live?.HasDisagreement ?? false, differs, parse.GetValue(reportOnly));
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
