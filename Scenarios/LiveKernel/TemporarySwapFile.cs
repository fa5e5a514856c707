using CowGuard.Scenarios.Processes;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// A swap file made for a test run (fallocate, mkswap, swapon) and removed again (swapoff, delete) on
/// <see cref="Dispose"/>. Only as root and only when no swap is active; live-kernel.md: this works on this machine kind.
/// </summary>
internal sealed class TemporarySwapFile : IDisposable
{
    private readonly string _path;

    private TemporarySwapFile(string path) => _path = path;

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
        if (File.Exists(_path))
        {
            if ((KernelFacts.Read("/proc/swaps") ?? string.Empty).Contains(_path, StringComparison.Ordinal))
            {
                Run("swapoff", _path);
            }

            File.Delete(_path);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        ProgramOutput output;
        try
        {
            output = ExternalProgram.Run(program, arguments, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new IOException(e.Message, e);
        }

        if (output.ExitCode != 0)
        {
            throw new IOException($"{program} {string.Join(' ', arguments)} failed ({output.ExitCode}): {output.StandardError.Trim()}");
        }
    }
}
