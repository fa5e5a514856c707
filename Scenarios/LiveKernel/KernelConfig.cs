using System.IO.Compression;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// The running kernel's build configuration, from /proc/config.gz (CONFIG_IKCONFIG_PROC) or /boot/config-RELEASE.
/// Some features are only visible here: the kernel accepts clear_refs 4 without CONFIG_MEM_SOFT_DIRTY, and
/// /proc/PID/mem's use of FOLL_FORCE is a build choice (CONFIG_PROC_MEM_*).
/// </summary>
internal sealed class KernelConfig
{
    private readonly HashSet<string> _enabled;

    private KernelConfig(HashSet<string> enabled) => _enabled = enabled;

    /// <summary>The configuration of kernel <paramref name="release"/>, or null when neither file can be read.</summary>
    public static KernelConfig? Read(string release)
    {
        string? text;
        try
        {
            if (File.Exists("/proc/config.gz"))
            {
                using var gzip = new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                text = reader.ReadToEnd();
            }
            else
            {
                text = KernelFacts.Read($"/boot/config-{release}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }

        return text is null ? null : Parse(text);
    }

    /// <summary>"CONFIG_X=y" and "CONFIG_X=m" lines; "# CONFIG_X is not set" and values other than y/m are off.</summary>
    public static KernelConfig Parse(string text) => new(
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.EndsWith("=y", StringComparison.Ordinal) || l.EndsWith("=m", StringComparison.Ordinal))
            .Select(l => l[..^2])
            .ToHashSet(StringComparer.Ordinal));

    public bool IsEnabled(string option) => _enabled.Contains(option);
}
