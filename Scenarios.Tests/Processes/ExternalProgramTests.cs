using CowGuard.Scenarios.Processes;
using Xunit;

namespace CowGuard.Scenarios.Tests.Processes;

/// <summary>The one way the scenario layer runs a child process: output and exit code captured, the whole tree killed at the deadline.</summary>
public sealed class ExternalProgramTests
{
    [SkippableFact]
    public void Output_and_exit_code_are_captured()
    {
        Skip.IfNot(File.Exists("/bin/sh"), "no /bin/sh");

        var output = ExternalProgram.Run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(30));

        Assert.Equal((3, "out\n", "err\n"), (output.ExitCode, output.StandardOutput, output.StandardError));
    }

    [SkippableFact]
    public void A_program_past_its_deadline_is_killed_with_its_children()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/bin/sh"), "needs Linux and /bin/sh");
        using var files = new TestFiles();
        var pidFile = files.Write("pid", string.Empty);

        var error = Assert.Throws<TimeoutException>(() =>
            ExternalProgram.Run("/bin/sh", ["-c", $"sleep 60 & echo $! > {pidFile}; wait"], TimeSpan.FromMilliseconds(500)));

        Assert.Contains("did not finish within 0.5 s and was killed", error.Message, StringComparison.Ordinal);
        var child = File.ReadAllText(pidFile).Trim();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsRunning(child) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.False(IsRunning(child), $"the child {child} of the killed program still runs");
    }

    [Fact]
    public void A_program_that_does_not_exist_cannot_be_started() =>
        Assert.Throws<System.ComponentModel.Win32Exception>(() => ExternalProgram.Run("/no/such/program", [], TimeSpan.FromSeconds(5)));

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsRunning(string pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";
}
