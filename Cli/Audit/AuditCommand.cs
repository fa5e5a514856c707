using System.CommandLine;
using System.ComponentModel;
using CliWrap.Buffered;
using CommandResultValidation = CliWrap.CommandResultValidation;

namespace CowGuard.Cli.Audit;

/// <summary>
/// <c>cowguard audit PROJECT [--format markdown|json] [--output FILE] [--sarif LOG]</c>: lists every
/// [WrongSideCowOk] of a project with file:line, the page-reference calls it covers and its justification. It builds
/// the project from clean with <c>CowGuardAudit=true</c> (the package's switch for the CG0100 audit records) and reads
/// the records back from the compiler's SARIF log; <c>--sarif</c> reads an existing log instead of building.
/// </summary>
internal static class AuditCommand
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    public static Command Create(CliConsole console)
    {
        var project = new Argument<FileSystemInfo>("PROJECT") { Description = "The project (.csproj), solution or folder to audit." };
        var format = new Option<string>("--format") { Description = "markdown (for a pull-request comment) or json.", DefaultValueFactory = _ => "markdown" };
        var output = new Option<FileInfo?>("--output") { Description = "Write the report to this file instead of standard output." };
        var sarif = new Option<FileInfo?>("--sarif") { Description = "Read the records from this SARIF 2.1 log (built with -p:CowGuardAudit=true) instead of building." };
        var command = new Command("audit", "List every [WrongSideCowOk] of a project: where, what it covers, and why it is said to be safe.")
        {
            project, format, output, sarif,
        };
        command.SetAction(parse => console.Guard(() =>
        {
            var kind = parse.GetValue(format)!.ToLowerInvariant();
            if (kind is not ("markdown" or "md" or "json"))
            {
                throw console.UsageError($"unknown format '{parse.GetValue(format)}' (markdown or json)");
            }

            var target = parse.GetValue(project)!;
            if (!target.Exists)
            {
                throw console.UsageError($"{target.FullName}: no such project, solution or folder");
            }

            var baseDirectory = target is DirectoryInfo directory ? directory.FullName : Path.GetDirectoryName(target.FullName)!;
            IReadOnlyList<AuditRecord> records;
            try
            {
                records = parse.GetValue(sarif) is { } log
                    ? SarifAuditReader.Read(log.FullName, baseDirectory)
                    : BuildAndRead(target.FullName, baseDirectory, console.Error);
            }
            catch (AuditException e)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return CliConsole.ScenarioErrorExitCode;
            }

            var report = kind == "json" ? AuditReportWriter.Json(records) : AuditReportWriter.Markdown(target.Name, records);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, report);
            }
            else
            {
                console.Plain.Write(report);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Builds from clean (an up-to-date build would not run the analyzers) and reads the records.</summary>
    private static IReadOnlyList<AuditRecord> BuildAndRead(string project, string baseDirectory, TextWriter progress)
    {
        var sarifPath = Path.Combine(Path.GetTempPath(), $"cowguard-audit-{Guid.NewGuid():N}.sarif");
        try
        {
            progress.WriteLine($"audit: building {project} with CowGuardAudit=true ...");
            var build = RunDotnet(
                baseDirectory,
                "build", project, "--no-incremental", "-nologo", "-v:q",
                "-p:CowGuardAudit=true",
                $"-p:ErrorLog={sarifPath}%2Cversion=2.1");
            if (build.ExitCode != 0 || !File.Exists(sarifPath))
            {
                throw new AuditException($"building {project} failed (exit {build.ExitCode}):\n{build.Output.TrimEnd()}");
            }

            return SarifAuditReader.Read(sarifPath, baseDirectory);
        }
        finally
        {
            File.Delete(sarifPath);
        }
    }

    /// <summary>Runs dotnet through CliWrap, which kills the whole process tree when the time limit cancels it.</summary>
    private static (int ExitCode, string Output) RunDotnet(string workingDirectory, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(BuildTimeout);
        try
        {
            var result = CliWrap.Cli.Wrap("dotnet")
                .WithArguments(arguments)
                .WithWorkingDirectory(workingDirectory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token)
                .Task.GetAwaiter().GetResult();
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AuditException($"the build did not finish within {BuildTimeout}");
        }
        catch (Win32Exception e)
        {
            throw new AuditException($"could not start dotnet: {e.Message}");
        }
    }
}
