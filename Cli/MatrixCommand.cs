using System.CommandLine;
using CowGuard.Cli.Kernel;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;
using Spectre.Console;

namespace CowGuard.Cli;

/// <summary>
/// <c>cowguard matrix [PATH ...]</c>: every scenario of the named files and folders (default: the built-in catalogue)
/// × every era as a table of observed verdicts, each marked where it differs from the verdict its file declares.
/// Expected FAILs are not errors. Exit code 2 when a scenario could not be loaded or run, 4 when a verdict differs
/// from the declared one (unless --report-only); with --kernel a "live" column shows the live kernel's verdicts,
/// marked where they disagree with the model's era for that kernel (exit code 3).
/// </summary>
internal static class MatrixCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Scenario files and folders (every .cow file under a folder, backing libraries left out); default: the built-in catalogue.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var filter = new Option<string?>("--filter", "-f") { Description = "Only scenarios whose name contains this text." };
        var differences = new Option<bool>("--differences", "-d") { Description = "Only rows where a verdict differs from the declared one, the live kernel disagrees, or an error occurred." };
        var gigantic = new Option<bool>("--gigantic") { Description = "Include the runs on 1 GiB hugetlb pages (about half a second each, where other runs take milliseconds)." };
        var kernel = KernelOption.Create();
        var reportOnly = VerdictGate.Option();
        var command = new Command("matrix", "Run scenarios (default: the built-in catalogue) under every era and compare with the declared verdicts (and with --kernel with the live kernel).")
        {
            paths, filter, differences, gigantic, kernel, reportOnly,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            var (loaded, loadErrors) = Load(console, parse.GetValue(paths) ?? []);
            var text = parse.GetValue(filter);
            var selected = loaded.Where(i => text is null || i.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
            var instances = parse.GetValue(gigantic) ? selected : selected.Where(i => !GiganticPages.Uses(i)).ToList();
            if (instances.Count < selected.Count)
            {
                console.Plain.WriteLine($"Leaving out {selected.Count - instances.Count} scenarios on 1 GiB hugetlb pages (--gigantic includes them).");
            }

            var rows = RunAll(instances);
            var live = parse.GetValue(kernel) is { } target ? LiveKernelRun.Start(console, target, instances, (i, era) => rows[i].First(r => r.Era == era)) : null;
            Render(console, rows, live is null ? null : new LiveMatrixColumn(live), parse.GetValue(differences));
            var runErrors = rows.Any(r => r.Any(result => result.Error is not null));
            var differs = rows.Any(r => r.Any(result => result.Error is null && !result.MatchesDeclaration));
            var liveErrors = live?.ReportErrors(console) ?? false;
            return VerdictGate.ExitCode(loadErrors || runErrors || liveErrors, live?.HasDisagreement ?? false, differs, parse.GetValue(reportOnly));
        }));
        return command;
    }

    /// <summary>One row per instance, one result per era; runs are independent machines, so they run in parallel.</summary>
    public static IReadOnlyList<RunResult[]> RunAll(IReadOnlyList<ScenarioInstance> instances)
    {
        var rows = new RunResult[instances.Count][];
        Parallel.For(0, instances.Count, i => rows[i] = Era.All.Select(era => Interpreter.Run(instances[i], era, RunOptions.Default)).ToArray());
        return rows;
    }

    /// <summary>Every named file and folder (or the catalogue); a file that does not load is reported and left out.</summary>
    private static (IReadOnlyList<ScenarioInstance> Instances, bool Errors) Load(CliConsole console, IReadOnlyList<string> paths)
    {
        var files = paths.Count == 0 ? BuiltInCatalogue.ScenarioFiles() : ScenarioFiles.Expand(paths.Select(ScenarioSelection.Resolve));
        var instances = new List<ScenarioInstance>();
        var errors = false;
        foreach (var file in files)
        {
            try
            {
                instances.AddRange(ScenarioLoader.LoadFile(file));
            }
            catch (ScenarioException e)
            {
                console.Error.WriteLine(e.Message);
                errors = true;
            }
        }

        return (instances, errors);
    }

    private static void Render(CliConsole console, IReadOnlyList<RunResult[]> rows, LiveMatrixColumn? live, bool differencesOnly)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("Scenario");
        foreach (var era in Era.All)
        {
            table.AddColumn(new TableColumn(era.Name).Centered());
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
            $"{all.Count} runs ({rows.Count} scenarios × {Era.All.Count} eras): " +
            $"{all.Count(r => r.MatchesDeclaration)} as declared, {all.Count(r => r.Error is null && !r.MatchesDeclaration)} differ, {errors.Count} errors");
        console.Plain.WriteLine("Eras: " + string.Join("; ", Era.All.Select(ScenarioSelection.EraTitle)));
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
