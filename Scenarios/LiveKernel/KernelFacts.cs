using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// What the running kernel and machine offer, read from procfs/sysfs rather than assumed (live-kernel.md lists the
/// quirks: THP in madvise mode, no swap, no CONFIG_GUP_TEST, clear_refs 4 accepted without CONFIG_MEM_SOFT_DIRTY).
/// </summary>
internal sealed record KernelFacts(
    bool IsLinux,
    string KernelRelease,
    string? Compiler,
    bool IsRoot,
    string ThpMode,
    IReadOnlyDictionary<ulong, string> ThpSizes,
    IReadOnlyDictionary<ulong, long> FreeHugetlbPages,
    bool SwapActive,
    int IoUringDisabled,
    bool HasIpcLockCapability,
    ulong MemlockLimit,
    bool? SoftDirty,
    bool HasGupTest)
{
    private const string ThpRoot = "/sys/kernel/mm/transparent_hugepage";
    private const string HugetlbRoot = "/sys/kernel/mm/hugepages";

    public static KernelFacts Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new KernelFacts(false, RuntimeInformation.OSDescription, null, false, "n/a", new Dictionary<ulong, string>(), new Dictionary<ulong, long>(), false, 2, false, 0, null, false);
        }

        return new KernelFacts(
            true,
            Read("/proc/sys/kernel/osrelease") ?? "unknown",
            FindOnPath("gcc"),
            Environment.UserName == "root" || Read("/proc/self/status")?.Contains("\nUid:\t0\t", StringComparison.Ordinal) == true,
            Selected(Read(Path.Combine(ThpRoot, "enabled"))) ?? "absent",
            ThpSizeModes(),
            HugetlbFree(),
            (Read("/proc/swaps") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1,
            int.TryParse(Read("/proc/sys/kernel/io_uring_disabled"), CultureInfo.InvariantCulture, out var disabled) ? disabled : 0,
            HasCapability(14), // CAP_IPC_LOCK: registered buffers are then not charged to RLIMIT_MEMLOCK
            ReadMemlockLimit(),
            SoftDirtyConfigured(),
            File.Exists("/sys/kernel/debug/gup_test"));
    }

    /// <summary>Why a scenario needing <paramref name="feature"/> cannot run here, or null if it can.</summary>
    public string? Missing(KernelFeature feature) => feature switch
    {
        KernelFeature.Swap when !SwapActive => "no active swap device (MADV_PAGEOUT would leave the pages in memory)",
        KernelFeature.SoftDirty when SoftDirty != true => SoftDirty == false
            ? "the kernel accepts clear_refs 4 but has no CONFIG_MEM_SOFT_DIRTY, so it write-protects nothing"
            : "cannot tell whether clear_refs 4 write-protects (no kernel config found)",
        KernelFeature.IoUring when IoUringDisabled == 2 => "io_uring is disabled (kernel.io_uring_disabled = 2)",
        KernelFeature.IoUring when IoUringDisabled == 1 && !IsRoot => "io_uring is restricted to privileged users (kernel.io_uring_disabled = 1)",
        _ => null,
    };

    /// <summary>Why no scenario can run here at all, or null.</summary>
    public string? Unusable => !IsLinux ? $"not Linux ({KernelRelease})" : Compiler is null ? "no C compiler (gcc) on PATH" : null;

    public string Describe() => string.Join(
        "; ",
        $"Linux {KernelRelease}",
        $"gcc {(Compiler ?? "missing")}",
        IsRoot ? "root" : "not root",
        $"THP enabled={ThpMode} sizes {string.Join(" ", ThpSizes.OrderBy(s => s.Key).Select(s => $"{s.Key >> 10}K={s.Value}"))}",
        $"hugetlb free {string.Join(" ", FreeHugetlbPages.OrderBy(s => s.Key).Select(s => $"{s.Key >> 10}K={s.Value}"))}",
        SwapActive ? "swap active" : "no swap",
        $"io_uring_disabled={IoUringDisabled}",
        $"CAP_IPC_LOCK={(HasIpcLockCapability ? "yes" : "no")}",
        $"memlock {(MemlockLimit == ulong.MaxValue ? "unlimited" : (MemlockLimit >> 10) + " kB")}",
        $"soft-dirty {(SoftDirty is null ? "unknown" : SoftDirty.Value ? "yes" : "no (CONFIG_MEM_SOFT_DIRTY off)")}",
        HasGupTest ? "gup_test present" : "no gup_test (CONFIG_GUP_TEST off)");

    internal static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"always [madvise] never" → "madvise".</summary>
    internal static string? Selected(string? knob)
    {
        if (knob is null)
        {
            return null;
        }

        var open = knob.IndexOf('[', StringComparison.Ordinal);
        var close = knob.IndexOf(']', StringComparison.Ordinal);
        return open >= 0 && close > open ? knob[(open + 1)..close] : knob;
    }

    /// <summary>Directory name "hugepages-2048kB" → 2 MiB.</summary>
    internal static ulong SizeOf(string directory) =>
        ulong.Parse(Path.GetFileName(directory)["hugepages-".Length..^"kB".Length], CultureInfo.InvariantCulture) << 10;

    private static Dictionary<ulong, string> ThpSizeModes() =>
        Directory.Exists(ThpRoot)
            ? Directory.EnumerateDirectories(ThpRoot, "hugepages-*kB")
                .Where(d => File.Exists(Path.Combine(d, "enabled")))
                .ToDictionary(SizeOf, d => Selected(Read(Path.Combine(d, "enabled"))) ?? "unknown")
            : [];

    private static Dictionary<ulong, long> HugetlbFree() =>
        Directory.Exists(HugetlbRoot)
            ? Directory.EnumerateDirectories(HugetlbRoot, "hugepages-*kB")
                .ToDictionary(SizeOf, d => long.TryParse(Read(Path.Combine(d, "free_hugepages")), CultureInfo.InvariantCulture, out var n) ? n : 0)
            : [];

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);

    private static bool HasCapability(int bit)
    {
        var line = (Read("/proc/self/status") ?? string.Empty).Split('\n').FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
            && (caps & (1UL << bit)) != 0;
    }

    private static ulong ReadMemlockLimit()
    {
        var line = (Read("/proc/self/limits") ?? string.Empty).Split('\n').FirstOrDefault(l => l.StartsWith("Max locked memory", StringComparison.Ordinal));
        var soft = line?["Max locked memory".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return soft is null || soft == "unlimited" ? ulong.MaxValue : ulong.TryParse(soft, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
    }

    /// <summary>CONFIG_MEM_SOFT_DIRTY from /proc/config.gz or /boot/config-RELEASE; null when neither exists.</summary>
    private static bool? SoftDirtyConfigured()
    {
        string? config = null;
        try
        {
            if (File.Exists("/proc/config.gz"))
            {
                using var gzip = new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                config = reader.ReadToEnd();
            }
            else
            {
                config = Read($"/boot/config-{Read("/proc/sys/kernel/osrelease")}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }

        return config?.Split('\n').Any(l => l.Trim() == "CONFIG_MEM_SOFT_DIRTY=y");
    }
}
