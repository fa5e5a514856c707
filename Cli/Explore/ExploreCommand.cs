using System.CommandLine;
using CowGuard.Exploration;
using CowGuard.Scenarios.Verdicts;
using CowGuard.VmModel;

namespace CowGuard.Cli.Explore;

/// <summary>
/// <c>cowguard explore</c>: bounded-exhaustive exploration of every step sequence up to a depth, under each era asked
/// for, with the figures (states, merges, transitions, depth, time, memory) and the shortest counterexample per
/// violated oracle; <c>--write-counterexamples DIR</c> writes each as a scenario file. Exit code 0 when no oracle is
/// violated, 4 when one is (under any era explored), 5 when <c>--verify-merges</c> found two merged states that behave
/// differently.
/// </summary>
internal static class ExploreCommand
{
    public const int ViolationExitCode = 4;

    public const int MergeMismatchExitCode = 5;

    public static Command Create(CliConsole console)
    {
        var era = new Option<string>("--era", "-e") { Description = "An era (name or scenario code), or all.", DefaultValueFactory = _ => "all" };
        var depth = new Option<int>("--depth", "-d") { Description = "Explore every sequence of up to this many steps.", DefaultValueFactory = _ => 4 };
        var processes = new Option<int>("--processes", "-p") { Description = "Live processes at once.", DefaultValueFactory = _ => 3 };
        var pages = new Option<int>("--pages") { Description = "Base-page slots of the first process.", DefaultValueFactory = _ => 2 };
        var thp = new Option<bool>("--thp") { Description = "Add a PMD-mapped 2 MiB THP slot (enables collapse and split)." };
        var hugetlb = new Option<bool>("--hugetlb") { Description = "Add a private 2 MiB hugetlb slot." };
        var references = new Option<int>("--references", "-r") { Description = "GUP handles, io_uring buffers and vmsplice pipes held at once.", DefaultValueFactory = _ => 2 };
        var alphabet = new Option<string>("--alphabet", "-a")
        {
            Description = "default, full, core, or a comma-separated list of steps, e.g. fork,fill,pin_user_pages:write+longterm,release.",
            DefaultValueFactory = _ => "default",
        };
        var timeLimit = new Option<double?>("--time-limit") { Description = "Stop each era after this many seconds (the last level is then incomplete)." };
        var workers = new Option<int>("--workers", "-w") { Description = "Threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var materialise = new Option<Materialisation>("--materialise") { Description = "How a state is rebuilt for each step: clone (copy the parent) or replay (from the root).", DefaultValueFactory = _ => Materialisation.Clone };
        var verifyMerges = new Option<bool>("--verify-merges") { Description = "Check every merge by stepping both states (slow; for small bounds)." };
        var write = new Option<DirectoryInfo?>("--write-counterexamples") { Description = "Write each shortest counterexample as a scenario file into this folder." };
        var command = new Command("explore", "Explore every step sequence up to a depth (bounded model checking of the VmModel) and report the shortest counterexample per oracle.")
        {
            era, depth, processes, pages, thp, hugetlb, references, alphabet, timeLimit, workers, materialise, verifyMerges, write,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            var eras = ScenarioSelection.ParseEras(parse.GetValue(era)!) ?? throw console.UsageError($"unknown era '{parse.GetValue(era)}' ({EraNames.Spellings} or all)");
            var slots = Enumerable.Repeat(SlotKind.BasePage, parse.GetValue(pages))
                .Concat(parse.GetValue(thp) ? [SlotKind.Thp] : [])
                .Concat(parse.GetValue(hugetlb) ? [SlotKind.Hugetlb] : []).ToArray();
            Alphabet letters;
            try
            {
                letters = Alphabet.Parse(parse.GetValue(alphabet)!);
            }
            catch (FormatException e)
            {
                throw console.UsageError($"--alphabet: {e.Message}");
            }

            var seconds = parse.GetValue(timeLimit);
            var exit = 0;
            foreach (var selected in eras)
            {
                var options = new ExplorationOptions
                {
                    Era = selected,
                    Universe = new Universe { Slots = slots, MaxProcesses = parse.GetValue(processes), MaxReferences = parse.GetValue(references) },
                    Alphabet = letters,
                    MaxDepth = parse.GetValue(depth),
                    TimeLimit = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                    Workers = parse.GetValue(workers),
                    Materialisation = parse.GetValue(materialise),
                    VerifyMerges = parse.GetValue(verifyMerges),
                };
                try
                {
                    options.Validate();
                }
                catch (ArgumentException e)
                {
                    throw console.UsageError(e.Message);
                }

                console.Plain.WriteLine($"[EXPLORE] {options}");
                var report = Explorer.Run(options, level => ExplorationPrinter.PrintLevel(console.Plain, level));
                ExplorationPrinter.PrintSummary(console.Plain, report);
                if (parse.GetValue(write) is { } folder)
                {
                    WriteCounterexamples(console, folder, report);
                }

                exit = Math.Max(exit, report.MergeMismatches.Count > 0 ? MergeMismatchExitCode : report.Counterexamples.Count > 0 ? ViolationExitCode : 0);
            }

            return exit;
        }));
        return command;
    }

    private static void WriteCounterexamples(CliConsole console, DirectoryInfo folder, ExplorationReport report)
    {
        folder.Create();
        foreach (var counterexample in report.Counterexamples.Values.Where(c => c.Oracle != Oracle.ModelBug))
        {
            var path = Path.Combine(folder.FullName, CounterexampleScenario.FileName(report.Options.Era, counterexample.Oracle));
            File.WriteAllText(path, CounterexampleScenario.Write(report.Options, counterexample));
            console.Plain.WriteLine($"  wrote {path}");
        }
    }
}
