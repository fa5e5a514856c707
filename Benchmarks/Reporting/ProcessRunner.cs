using System.Diagnostics;
using System.Text;

namespace CowGuard.Benchmarks.Reporting;

/// <summary>A child process (dotnet build, gcc, a kernel benchmark) that failed, with its command and output.</summary>
internal sealed class ExternalCommandException(string message) : Exception(message);

/// <summary>Runs a child process to completion with a time limit and returns its output.</summary>
internal static class ProcessRunner
{
    public static string Run(string fileName, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null) =>
        RunAllowingExitCodes(fileName, arguments, limit, [0], workingDirectory).Output;

    /// <summary>Runs the command, accepting any of <paramref name="acceptedExitCodes"/>; returns stdout+stderr and the code.</summary>
    public static (string Output, int ExitCode) RunAllowingExitCodes(
        string fileName, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyCollection<int> acceptedExitCodes, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = $"{fileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new ExternalCommandException($"could not start: {command}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { stdout.Append(e.Data).Append('\n'); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { stderr.Append(e.Data).Append('\n'); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new ExternalCommandException($"timed out after {limit.TotalSeconds:F0} s: {command}");
        }

        process.WaitForExit();
        if (!acceptedExitCodes.Contains(process.ExitCode))
        {
            throw new ExternalCommandException(
                $"exit code {process.ExitCode}: {command}\n{Tail(stdout.ToString())}\n{Tail(stderr.ToString())}");
        }

        return (stdout.ToString() + stderr, process.ExitCode);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
