using CliWrap;
using CliWrap.Buffered;

namespace CowGuard.Scenarios.Processes;

/// <summary>What a finished child process left: its exit code and everything it wrote.</summary>
internal sealed record ProgramOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// The one way the scenario layer runs a child process (gcc, a generated scenario program, mkswap ...): CliWrap,
/// with both output streams captured and a deadline after which the process and everything it started are killed.
/// A non-zero exit code is the caller's to judge.
/// </summary>
internal static class ExternalProgram
{
    /// <summary>
    /// Runs <paramref name="program"/> to completion. Throws <see cref="TimeoutException"/> when it outlives
    /// <paramref name="timeout"/> (it is killed with its descendants), <see cref="System.ComponentModel.Win32Exception"/>
    /// when it cannot be started.
    /// </summary>
    public static ProgramOutput Run(string program, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory ?? Environment.CurrentDirectory)
            .WithValidation(CommandResultValidation.None);
        try
        {
            var result = command.ExecuteBufferedAsync(deadline.Token).GetAwaiter().GetResult();
            return new ProgramOutput(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0.#} s and was killed");
        }
    }
}
