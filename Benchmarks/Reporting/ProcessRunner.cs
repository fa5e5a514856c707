using System.ComponentModel;
using System.Text;
using CliWrap;

namespace CowGuard.Benchmarks.Reporting;

/// <summary>A child process (dotnet build, gcc, perf, a kernel benchmark) that failed, with its command and output.</summary>
internal sealed class ExternalCommandException(string message) : Exception(message);

/// <summary>
/// Runs child processes through CliWrap: to completion within a time limit (on expiry CliWrap kills the whole process
/// tree), with a start failure or a timeout reported as <see cref="ExternalCommandException"/>.
/// </summary>
internal static class ProcessRunner
{
    public static string Run(string fileName, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null) =>
        RunAllowingExitCodes(fileName, arguments, limit, [0], workingDirectory).Output;

    /// <summary>Runs the command, accepting any of <paramref name="acceptedExitCodes"/>; returns stdout+stderr and the code.</summary>
    public static (string Output, int ExitCode) RunAllowingExitCodes(
        string fileName, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyCollection<int> acceptedExitCodes, string? workingDirectory = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(fileName)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory ?? Environment.CurrentDirectory)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        var exitCode = Execute(command, limit).ExitCode;
        if (!acceptedExitCodes.Contains(exitCode))
        {
            throw new ExternalCommandException($"exit code {exitCode}: {command}\n{Tail(stdout.ToString())}\n{Tail(stderr.ToString())}");
        }

        return (stdout.ToString() + stderr, exitCode);
    }

    /// <summary>Runs a configured command to completion (any exit code) within <paramref name="limit"/>.</summary>
    public static CommandResult Execute(Command command, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return command.WithValidation(CommandResultValidation.None).ExecuteAsync(timeout.Token).Task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new ExternalCommandException($"timed out after {limit.TotalSeconds:F0} s: {command}");
        }
        catch (Win32Exception e)
        {
            throw new ExternalCommandException($"could not start {command.TargetFilePath}: {e.Message}");
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
