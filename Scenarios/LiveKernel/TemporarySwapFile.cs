using System.Diagnostics;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A swap file made for a test run (fallocate, mkswap, swapon) and removed again (swapoff, delete) on
/// <see cref="Dispose"/>. Only as root and only when no swap is active; live-kernel.md: this works on this machine kind.
/// </summary>
internal sealed class TemporarySwapFile : IDisposable
{
    private readonly string path;

    private TemporarySwapFile(string path) => this.path = path;

    /// <summary>Activates a swap file of <paramref name="megabytes"/> MiB, or returns null with the reason it cannot.</summary>
    public static TemporarySwapFile? TryCreate(KernelFacts facts, int megabytes, out string? reason)
    {
        reason = !facts.IsRoot ? "not root" : facts.SwapActive ? "swap is already active" : null;
        if (reason is not null)
        {
            return null;
        }

        var path = Path.Combine("/var/tmp", $"cowguard-{Environment.ProcessId}-{Guid.NewGuid():N}.swap");
        var swap = new TemporarySwapFile(path);
        try
        {
            Run("fallocate", "-l", $"{megabytes}M", path);
            Run("chmod", "600", path);
            Run("mkswap", path);
            Run("swapon", path);
            return swap;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            swap.Dispose();
            reason = e.Message;
            return null;
        }
    }

    public void Dispose()
    {
        if (File.Exists(path))
        {
            if ((KernelFacts.Read("/proc/swaps") ?? string.Empty).Contains(path, StringComparison.Ordinal))
            {
                Run("swapoff", path);
            }

            File.Delete(path);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new IOException($"{program} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new IOException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result.Trim()}");
        }
    }
}
