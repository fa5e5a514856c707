using System.Diagnostics;
using System.Text;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>The outcome of one external command: exit code and the interleaved output.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode})\n{Output}";
}

/// <summary>Runs dotnet CLI commands with a time limit, capturing stdout and stderr together.</summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static CommandResult Dotnet(string workingDirectory, params string[] arguments) =>
        Run("dotnet", workingDirectory, DefaultTimeout, arguments);

    public static CommandResult Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Build servers would outlive the test and keep files in temporary folders open.
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["UseSharedCompilation"] = "false";
        // The outer `dotnet test` sets MSBuild variables that must not leak into a nested, unrelated build.
        startInfo.Environment.Remove("MSBuildExtensionsPath");
        startInfo.Environment.Remove("MSBuildSDKsPath");
        startInfo.Environment.Remove("MSBUILD_EXE_PATH");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{fileName} {string.Join(' ', arguments)}` did not finish within {timeout}.\n{output}");
        }

        process.WaitForExit();
        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        lock (output)
        {
            return new CommandResult(commandLine, process.ExitCode, output.ToString());
        }
    }
}
