using System.Text;
using CliWrap;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// The outcome of one external command: exit code, the interleaved output (line by line), and standard output alone,
/// byte for byte (a diff keeps its CRLF lines).
/// </summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output, string StandardOutput)
{
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode})\n{Output}";
}

/// <summary>
/// Runs the external commands of the end-to-end tests through CliWrap: a time limit that kills the whole process tree,
/// stdout and stderr captured together in the order they arrive, and an environment cleaned of what the outer
/// <c>dotnet test</c> would otherwise leak into a nested, unrelated build.
/// </summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static CommandResult Dotnet(string workingDirectory, params string[] arguments) =>
        Run("dotnet", workingDirectory, DefaultTimeout, arguments);

    public static CommandResult Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var output = new StringBuilder();
        var capture = PipeTarget.ToDelegate(line => { lock (output) { output.AppendLine(line); } });
        using var standardOutput = new MemoryStream();
        var command = Prepare(fileName, workingDirectory, arguments)
            .WithStandardOutputPipe(PipeTarget.Merge(capture, PipeTarget.ToStream(standardOutput)))
            .WithStandardErrorPipe(capture);

        using var deadline = new CancellationTokenSource(timeout);
        CliWrap.CommandResult result;
        try
        {
            // Cancelling kills the process tree; the task then ends with OperationCanceledException.
            result = command.ExecuteAsync(deadline.Token).Task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"`{Describe(fileName, arguments)}` did not finish within {timeout}.\n{Snapshot(output)}");
        }

        return new CommandResult(Describe(fileName, arguments), result.ExitCode, Snapshot(output), Encoding.UTF8.GetString(standardOutput.ToArray()));
    }

    /// <summary>Like <see cref="Run"/>, or null when the program is not installed here (tests then skip, saying so).</summary>
    public static CommandResult? TryRun(string fileName, string workingDirectory, params string[] arguments)
    {
        try
        {
            return Run(fileName, workingDirectory, TimeSpan.FromMinutes(2), arguments);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The command with this runner's working directory, arguments and environment, for callers that pipe its
    /// standard streams themselves (the language-server client). A non-zero exit is not an exception: callers judge.
    /// </summary>
    public static Command Prepare(string fileName, string workingDirectory, IEnumerable<string> arguments) =>
        CliWrap.Cli.Wrap(fileName)
            .WithWorkingDirectory(workingDirectory)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(env => env
                .Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
                .Set("DOTNET_NOLOGO", "1")
                // Build servers would outlive the test and keep files in temporary folders open.
                .Set("MSBUILDDISABLENODEREUSE", "1")
                .Set("UseSharedCompilation", "false")
                // Set by the outer `dotnet test`; a nested build must find its own SDK (null removes the variable).
                .Set("MSBuildExtensionsPath", null)
                .Set("MSBuildSDKsPath", null)
                .Set("MSBUILD_EXE_PATH", null));

    private static string Describe(string fileName, IEnumerable<string> arguments) => $"{fileName} {string.Join(' ', arguments)}";

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
