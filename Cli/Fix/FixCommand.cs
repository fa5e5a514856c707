using System.CommandLine;
using System.Globalization;
using CowGuard.CodeFixes;
using Microsoft.CodeAnalysis.MSBuild;

namespace CowGuard.Cli.Fix;

/// <summary>
/// <c>cowguard fix [PROJECT] [--fix breakcow|write|justify] [--diff] [--sarif FILE] [--no-restore]</c>: applies one of
/// CowGuard's code fixes to every diagnostic it fixes in a project or solution, with Fix All semantics. Without
/// --diff or --sarif it edits the files; with either it edits nothing and writes the changes for review instead: a
/// unified diff on standard output (<c>git apply</c>, reviewdog), a SARIF 2.1 log with <c>fixes</c> (code-scanning
/// viewers), or both. It never writes a justification: the attribute fix leaves its failing "&lt;Pending&gt;".
/// Exit codes: 0 done (including "nothing to fix"), 1 bad command line, 2 the project could not be restored or loaded.
/// </summary>
internal static class FixCommand
{
    public static Command Create(CliConsole console)
    {
        var project = new Argument<FileSystemInfo>("PROJECT")
        {
            Description = "The project (.csproj), solution (.sln, .slnx, .slnf) or folder holding one. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => new DirectoryInfo(Environment.CurrentDirectory),
        };
        var fix = new Option<string>("--fix")
        {
            Description = "Which fix: " + string.Join("; ", FixChoice.All.Select(c => $"{c.Name}: {c.Summary}")) + ".",
            DefaultValueFactory = _ => FixChoice.Default.Name,
        };
        fix.AcceptOnlyFromAmong([.. FixChoice.All.Select(c => c.Name)]);
        var diff = new Option<bool>("--diff") { Description = "Write the changes as a unified diff on standard output instead of editing files." };
        var sarif = new Option<FileInfo?>("--sarif") { Description = "Write the diagnostics and their fixes as SARIF 2.1 to this file instead of editing files." };
        var noRestore = new Option<bool>("--no-restore") { Description = "Do not run `dotnet restore` first (the project must already be restored)." };
        var command = new Command("fix", "Apply CowGuard's code fixes to a project or solution, or write them as a diff or SARIF fixes for review.")
        {
            project, fix, diff, sarif, noRestore,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            var choice = FixChoice.Find(parse.GetValue(fix)!)!;
            try
            {
                return Run(console, parse.GetValue(project)!, choice, parse.GetValue(diff), parse.GetValue(sarif), !parse.GetValue(noRestore));
            }
            catch (ProjectLoadException e)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return CliConsole.ScenarioErrorExitCode;
            }
        }));
        return command;
    }

    private static int Run(CliConsole console, FileSystemInfo target, FixChoice choice, bool diff, FileInfo? sarif, bool restore)
    {
        var path = ProjectLoader.Resolve(target);
        var baseDirectory = Environment.CurrentDirectory;
        if (restore)
        {
            ProjectLoader.RestoreAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        }

        using var workspace = MSBuildWorkspace.Create();
        var (solution, projects) = ProjectLoader.LoadAsync(workspace, path, CancellationToken.None).GetAwaiter().GetResult();
        var report = new FixRunner(choice, console.Error).RunAsync(solution, projects, CancellationToken.None).GetAwaiter().GetResult();

        if (diff)
        {
            console.Plain.Write(UnifiedDiffWriter.Write(report.Files, baseDirectory));
        }

        if (sarif is not null)
        {
            File.WriteAllText(sarif.FullName, SarifFixWriter.Write(report, baseDirectory));
        }

        if (!diff && sarif is null)
        {
            foreach (var file in report.Files)
            {
                File.WriteAllText(file.Path, file.Fixed, file.Encoding ?? new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
        }

        Summarize(console.Error, report, baseDirectory, edited: !diff && sarif is null);
        return 0;
    }

    private static string WhyNotFixed(FixChoice choice) => choice.WritesPlaceholder
        ? "no declaration around the call can carry [WrongSideCowOk] (top-level statements cannot): move the call into a method"
        : $"the '{choice.Name}' fix does not apply (the API takes no FollFlags): use --fix justify, or fix it by hand";

    private static void Summarize(TextWriter error, FixReport report, string baseDirectory, bool edited)
    {
        var ids = string.Join(", ", report.Choice.DiagnosticIds);
        if (report.Results.Count == 0)
        {
            error.WriteLine($"fix: no {ids} diagnostic to fix");
            return;
        }

        var verb = edited ? "fixed" : "fixable";
        var title = report.Results.Select(r => r.FixTitle).FirstOrDefault(t => t is not null) ?? report.Choice.Name;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fix: {report.Results.Count} diagnostic(s) ({ids}); {report.Fixed} {verb} with \"{title}\" in {report.Files.Count} file(s)"));
        foreach (var result in report.Unfixed)
        {
            var span = result.Span;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  not fixed: {SarifFixWriter.RelativePath(result.Path, baseDirectory)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {result.Diagnostic.Id}: {WhyNotFixed(report.Choice)}"));
        }

        if (report.Choice.WritesPlaceholder && report.Fixed > 0)
        {
            error.WriteLine($"fix: each added [WrongSideCowOk(\"{CG0001AddWrongSideCowOkCodeFix.PendingJustification}\")] fails CG0002 until you replace the placeholder with why the reference is safe");
        }
    }
}
