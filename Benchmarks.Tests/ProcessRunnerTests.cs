using System.Globalization;
using System.Text;
using CliWrap;
using CowGuard.Benchmarks.Reporting;
using Xunit;

namespace CowGuard.Benchmarks.Tests;

/// <summary>
/// The harness's one way to run a child process (CliWrap): output captured, exit codes checked, a start failure or a
/// timeout reported as <see cref="ExternalCommandException"/>, and on timeout the whole process tree killed.
/// </summary>
public sealed class ProcessRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public void Standard_output_and_standard_error_are_both_captured()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "runs sh");

        var output = ProcessRunner.Run("sh", ["-c", "echo to-stdout; echo to-stderr >&2"], Generous);

        Assert.Contains("to-stdout", output, StringComparison.Ordinal);
        Assert.Contains("to-stderr", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_unexpected_exit_code_fails_with_the_command_and_its_output_and_an_accepted_one_is_returned()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "runs sh");

        var failure = Assert.Throws<ExternalCommandException>(() => ProcessRunner.Run("sh", ["-c", "echo why >&2; exit 3"], Generous));
        Assert.Contains("exit code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("why", failure.Message, StringComparison.Ordinal);

        var (output, exitCode) = ProcessRunner.RunAllowingExitCodes("sh", ["-c", "echo fine; exit 3"], Generous, [0, 3]);
        Assert.Equal(3, exitCode);
        Assert.Contains("fine", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_does_not_exist_is_reported_not_thrown_through()
    {
        var failure = Assert.Throws<ExternalCommandException>(() => ProcessRunner.Run("cg-no-such-program", [], Generous));

        Assert.Contains("could not start cg-no-such-program", failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_timeout_kills_the_child_and_the_processes_it_started()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        var directory = Directory.CreateTempSubdirectory("cg-bench-tests-");
        try
        {
            var pidFile = Path.Combine(directory.FullName, "grandchild.pid");

            // The shell starts a grandchild and waits for it. A shell killed before it got that far (a very loaded
            // machine) proves nothing about the grandchild, so the limit grows until the grandchild was started.
            foreach (var seconds in new[] { 2, 10, 30 })
            {
                var shell = Cli.Wrap("sh").WithArguments(["-c", $"sleep 300 & echo $! > '{pidFile}'; wait"]);
                var failure = Assert.Throws<ExternalCommandException>(() => ProcessRunner.Execute(shell, TimeSpan.FromSeconds(seconds)));
                Assert.StartsWith($"timed out after {seconds} s", failure.Message, StringComparison.Ordinal);
                if (File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } pid)
                {
                    Assert.True(
                        Exited(int.Parse(pid, CultureInfo.InvariantCulture)),
                        $"the grandchild (pid {pid}) still runs after the timeout killed its parent");
                    return;
                }
            }

            Assert.Fail("the shell never got to start its grandchild");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Gone, or a zombie waiting for its reaper, within a few seconds.</summary>
    private static bool Exited(int pid)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat", Encoding.ASCII);
            }
            catch (IOException)
            {
                return true;
            }

            // "pid (comm) S ...": the state follows the closing parenthesis of the command name.
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }
}
