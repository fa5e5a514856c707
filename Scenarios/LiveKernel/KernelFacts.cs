using System.Globalization;
using System.Runtime.InteropServices;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// What the running kernel and machine offer, read from procfs/sysfs rather than assumed (live-kernel.md lists the
/// quirks: THP in madvise mode, no swap, no CONFIG_GUP_TEST, clear_refs 4 accepted without CONFIG_MEM_SOFT_DIRTY).
/// <see cref="ProcMemForce"/> is how /proc/PID/mem calls get_user_pages_remote: "always" with FOLL_FORCE, "ptrace"
/// only for the tracer, "never", or null when it cannot be told. <see cref="PtraceScope"/> is Yama's (null: no Yama).
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
    bool HasGupTest,
    bool HasUserfaultfd,
    bool UnprivilegedUserfaultfd,
    bool HasKsm,
    bool HasSysAdminCapability,
    bool HasSysPtraceCapability,
    string? ProcMemForce,
    int? PtraceScope)
{
    private const string ThpRoot = "/sys/kernel/mm/transparent_hugepage";
    private const string HugetlbRoot = "/sys/kernel/mm/hugepages";

    public static KernelFacts Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Absent(isLinux: false, RuntimeInformation.OSDescription);
        }

        var release = Read("/proc/sys/kernel/osrelease") ?? "unknown";
        var config = KernelConfig.Read(release);
        return new KernelFacts(
            true,
            release,
            FindOnPath("gcc"),
            Environment.UserName == "root" || Read("/proc/self/status")?.Contains("\nUid:\t0\t", StringComparison.Ordinal) == true,
            Selected(Read(Path.Combine(ThpRoot, "enabled"))) ?? "absent",
            ThpSizeModes(),
            HugetlbFree(),
            (Read("/proc/swaps") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1,
            int.TryParse(Read("/proc/sys/kernel/io_uring_disabled"), CultureInfo.InvariantCulture, out var disabled) ? disabled : 0,
            HasCapability(14), // CAP_IPC_LOCK: registered buffers are then not charged to RLIMIT_MEMLOCK
            ReadMemlockLimit(),
            config?.IsEnabled("CONFIG_MEM_SOFT_DIRTY"),
            File.Exists("/sys/kernel/debug/gup_test"),
            File.Exists("/proc/sys/vm/unprivileged_userfaultfd"), // the sysctl exists with CONFIG_USERFAULTFD
            Read("/proc/sys/vm/unprivileged_userfaultfd") == "1",
            File.Exists("/sys/kernel/mm/ksm/run"),
            HasCapability(21), // CAP_SYS_ADMIN: /proc/PID/pagemap shows page frame numbers
            HasCapability(19), // CAP_SYS_PTRACE: userfaultfd for kernel-mode faults, Yama ptrace_scope 2
            ProcMemForceOverride(release, config),
            int.TryParse(Read("/proc/sys/kernel/yama/ptrace_scope"), CultureInfo.InvariantCulture, out var scope) ? scope : null);
    }

    /// <summary>A kernel that offers nothing: every feature missing, no compiler (not Linux, or a guest that is not built).</summary>
    public static KernelFacts Absent(bool isLinux, string release) => new(
        isLinux, release, Compiler: null, IsRoot: false, ThpMode: "n/a", new Dictionary<ulong, string>(), new Dictionary<ulong, long>(),
        SwapActive: false, IoUringDisabled: 2, HasIpcLockCapability: false, MemlockLimit: 0, SoftDirty: null, HasGupTest: false,
        HasUserfaultfd: false, UnprivilegedUserfaultfd: false, HasKsm: false, HasSysAdminCapability: false, HasSysPtraceCapability: false,
        ProcMemForce: null, PtraceScope: null);

    /// <summary>Why a scenario needing <paramref name="feature"/> cannot run here, or null if it can.</summary>
    public string? Missing(KernelFeature feature) => feature switch
    {
        KernelFeature.Swap when !SwapActive => "no active swap device (MADV_PAGEOUT would leave the pages in memory)",
        KernelFeature.SoftDirty when SoftDirty != true => SoftDirty == false
            ? "the kernel accepts clear_refs 4 but has no CONFIG_MEM_SOFT_DIRTY, so it write-protects nothing"
            : "cannot tell whether clear_refs 4 write-protects (no kernel config found)",
        KernelFeature.IoUring when IoUringDisabled == 2 => "io_uring is disabled (kernel.io_uring_disabled = 2)",
        KernelFeature.IoUring when IoUringDisabled == 1 && !IsRoot => "io_uring is restricted to privileged users (kernel.io_uring_disabled = 1)",
        KernelFeature.Userfaultfd when !HasUserfaultfd => "no userfaultfd (CONFIG_USERFAULTFD off: /proc/sys/vm/unprivileged_userfaultfd is absent)",
        KernelFeature.Userfaultfd when !HasSysPtraceCapability && !UnprivilegedUserfaultfd =>
            "a userfaultfd that handles kernel-mode faults (GUP) needs CAP_SYS_PTRACE or vm.unprivileged_userfaultfd = 1",
        KernelFeature.Ksm when !HasKsm => "no KSM (CONFIG_KSM off: /sys/kernel/mm/ksm is absent)",
        KernelFeature.Ksm when !IsRoot => "running ksmd (/sys/kernel/mm/ksm/run) needs root",
        KernelFeature.PageFrameNumbers when !HasSysAdminCapability => "/proc/PID/pagemap shows page frame numbers only to CAP_SYS_ADMIN",
        KernelFeature.RemoteAccess when PtraceScope >= 3 => "Yama ptrace_scope 3 forbids process_vm_readv/writev and /proc/PID/mem",
        KernelFeature.RemoteAccess when PtraceScope == 2 && !HasSysPtraceCapability => "Yama ptrace_scope 2 lets only CAP_SYS_PTRACE reach another process's memory",
        _ => null,
    };

    /// <summary>Why the kernel these facts describe is not there at all (a guest that is not built), or null.</summary>
    public string? Unavailable { get; init; }

    /// <summary>Why no scenario can run here at all, or null.</summary>
    public string? Unusable => Unavailable ?? (!IsLinux ? $"not Linux ({KernelRelease})" : Compiler is null ? "no C compiler (gcc) on PATH" : null);

    public string Describe() => Unavailable is { } why ? $"unavailable: {why}" : string.Join(
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
        HasGupTest ? "gup_test present" : "no gup_test (CONFIG_GUP_TEST off)",
        HasUserfaultfd ? $"userfaultfd ({(HasSysPtraceCapability ? "CAP_SYS_PTRACE" : UnprivilegedUserfaultfd ? "unprivileged" : "kernel faults not allowed")})" : "no userfaultfd",
        HasKsm ? "KSM" : "no KSM",
        HasSysAdminCapability ? "pagemap PFNs visible" : "pagemap PFNs hidden",
        $"/proc/PID/mem FOLL_FORCE {ProcMemForce ?? "unknown"}",
        PtraceScope is { } scope ? $"Yama ptrace_scope {scope}" : "no Yama");

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

    internal static string? FindOnPath(string program) =>
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

    /// <summary>
    /// fs/proc/base.c proc_mem_foll_force (6.12): the boot option proc_mem.force_override=always|ptrace|never, else
    /// CONFIG_PROC_MEM_ALWAYS_FORCE / _FORCE_PTRACE / _NO_FORCE; a kernel before 6.12 always forces.
    /// </summary>
    private static string? ProcMemForceOverride(string release, KernelConfig? config)
    {
        var option = (Read("/proc/cmdline") ?? string.Empty).Split(' ').FirstOrDefault(o => o.StartsWith("proc_mem.force_override=", StringComparison.Ordinal));
        if (option is not null)
        {
            return option["proc_mem.force_override=".Length..];
        }

        if (KernelEra.Version(release) is { } version && (version.Major < 6 || (version.Major == 6 && version.Minor < 12)))
        {
            return "always";
        }

        return config is null ? null
            : config.IsEnabled("CONFIG_PROC_MEM_NO_FORCE") ? "never"
            : config.IsEnabled("CONFIG_PROC_MEM_FORCE_PTRACE") ? "ptrace"
            : "always";
    }
}
