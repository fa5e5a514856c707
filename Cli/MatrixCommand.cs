using System.CommandLine;
using CowGuard.Cli.Kernel;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using Spectre.Console;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard matrix</c>: every built-in scenario × every era as a table of observed verdicts, each marked where it
/// differs from the verdict its file declares. Expected FAILs are not errors: the exit code is 2 only when a
/// scenario could not run, 0 otherwise. With --kernel a "live" column shows the live kernel's verdicts, marked
/// where they disagree with the model's era for that kernel (exit code 3).
/// </summary>
internal static class MatrixCommand
{
    public static Command Create(CliConsole console)
    {
        var filter = new Option<string?>("--filter", "-f") { Description = "Only scenarios whose name contains this text." };
        var differences = new Option<bool>("--differences", "-d") { Description = "Only rows where a verdict differs from the declared one, the live kernel disagrees, or an error occurred." };
        var gigantic = new Option<bool>("--gigantic") { Description = "Include the runs on 1 GiB hugetlb pages (about half a second each, where other runs take milliseconds)." };
        var kernel = KernelOption.Create();
        var command = new Command("matrix", "Run the built-in catalogue under every era and compare with the declared verdicts (and with --kernel with the live kernel).") { filter, differences, gigantic, kernel };
        command.SetAction(parse => console.Guard(() =>
        {
            var text = parse.GetValue(filter);
            var selected = BuiltInCatalogue.LoadAll()
                .Where(i => text is null || i.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var instances = parse.GetValue(gigantic) ? selected : selected.Where(i => !GiganticPages.Uses(i)).ToList();
            if (instances.Count < selected.Count)
            {
                console.Plain.WriteLine($"Leaving out {selected.Count - instances.Count} scenarios on 1 GiB hugetlb pages (--gigantic includes them).");
            }

            var rows = RunAll(instances);
            var live = parse.GetValue(kernel) ? LiveKernelRun.Start(console, instances, (i, era) => rows[i].First(r => r.Era == era)) : null;
            Render(console, rows, live is null ? null : new LiveMatrixColumn(live), parse.GetValue(differences));
            var modelErrors = rows.Any(r => r.Any(result => result.Error is not null));
            return live is null ? modelErrors ? CliConsole.ScenarioErrorExitCode : 0 : live.ExitCode(modelErrors, live.ReportErrors(console));
        }));
        return command;
    }

    /// <summary>One row per instance, one result per era; runs are independent machines, so they run in parallel.</summary>
    public static IReadOnlyList<RunResult[]> RunAll(IReadOnlyList<ScenarioInstance> instances)
    {
        var eras = Enum.GetValues<EraCode>();
        var rows = new RunResult[instances.Count][];
        Parallel.For(0, instances.Count, i => rows[i] = eras.Select(era => Interpreter.Run(instances[i], era, RunOptions.Default)).ToArray());
        return rows;
    }

    private static void Render(CliConsole console, IReadOnlyList<RunResult[]> rows, LiveMatrixColumn? live, bool differencesOnly)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Scenario");
        foreach (var era in Enum.GetValues<EraCode>())
        {
            table.AddColumn(new TableColumn(era.ToString()).Centered());
        }

        if (live is not null)
        {
            table.AddColumn(new TableColumn("live").Centered());
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (differencesOnly && row.All(result => result.MatchesDeclaration) && live?.IsNoteworthy(i) != true)
            {
                continue;
            }

            IEnumerable<Markup> cells = [new Markup(Markup.Escape(row[0].Instance.DisplayName)), .. row.Select(Cell)];
            table.AddRow(live is null ? cells : cells.Append(live.Cell(i)));
        }

        console.Out.Write(table);
        var all = rows.SelectMany(r => r).ToList();
        var errors = all.Where(r => r.Error is not null).ToList();
        console.Plain.WriteLine(
            $"{all.Count} runs ({rows.Count} scenarios × {Enum.GetValues<EraCode>().Length} eras): " +
            $"{all.Count(r => r.MatchesDeclaration)} as declared, {all.Count(r => r.Error is null && !r.MatchesDeclaration)} differ, {errors.Count} errors");
        console.Plain.WriteLine("Eras: " + string.Join("; ", Enum.GetValues<EraCode>().Select(ScenarioSelection.EraTitle)));
        live?.WriteSummary(console.Plain);
        foreach (var error in errors.Select(e => e.Error!.Message).Distinct(StringComparer.Ordinal))
        {
            console.Error.WriteLine(error);
        }
    }

    private static Markup Cell(RunResult result)
    {
        if (result.Error is not null)
        {
            return new Markup("[red]error[/]");
        }

        var observed = result.Expected == Verdict.XFail && result.Observed == Verdict.Fail ? "XFAIL" : VerdictText.Format(result.Observed);
        return result.MatchesDeclaration
            ? new Markup(Markup.Escape(observed))
            : new Markup($"[red]{Markup.Escape(observed)} ≠{Markup.Escape(VerdictText.Format(result.Expected))}[/]");
    }
}
