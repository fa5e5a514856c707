using System.Text.RegularExpressions;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// What the guest kernel offers, from the .config build.sh kept and from what kernel/init.sh sets up at every boot,
/// rather than detected at run time (the guest exists only while a batch runs). GuestKernelTests boots the guest and
/// checks these against /proc and /sys there, so a change to the recipe that makes them wrong fails a test.
/// </summary>
internal static partial class GuestFacts
{
    /// <summary>kernel/init.sh's setup: 2 MiB hugetlb pages reserved at boot (GuestBootOptions.HugePages2M), swap on /dev/ram0.</summary>
    public static KernelFacts Of(GuestKernel kernel, GuestBootOptions options)
    {
        var configPath = Path.Combine(kernel.Directory, "config");
        var config = KernelConfig.Parse(File.Exists(configPath) ? File.ReadAllText(configPath) : string.Empty);
        bool Has(string option) => config.IsEnabled(option);
        return new KernelFacts(
            IsLinux: true,
            KernelRelease: Release(kernel),
            Compiler: KernelFacts.FindOnPath("gcc"),
            IsRoot: true, // init.sh runs every program as root, with every capability
            ThpMode: !Has("CONFIG_TRANSPARENT_HUGEPAGE") ? "absent" : Has("CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS") ? "always" : Has("CONFIG_TRANSPARENT_HUGEPAGE_MADVISE") ? "madvise" : "never",
            ThpSizes: new Dictionary<ulong, string>(),
            FreeHugetlbPages: Has("CONFIG_HUGETLB_PAGE") ? new Dictionary<ulong, long> { [2UL << 20] = options.HugePages2M } : new Dictionary<ulong, long>(),
            SwapActive: Has("CONFIG_SWAP") && Has("CONFIG_BLK_DEV_RAM"),
            IoUringDisabled: Has("CONFIG_IO_URING") ? 0 : 2,
            HasIpcLockCapability: true,
            MemlockLimit: ulong.MaxValue, // with CAP_IPC_LOCK registered buffers are not charged to RLIMIT_MEMLOCK
            SoftDirty: Has("CONFIG_MEM_SOFT_DIRTY"),
            HasGupTest: Has("CONFIG_GUP_TEST") && Has("CONFIG_DEBUG_FS"), // init.sh mounts debugfs
            HasUserfaultfd: Has("CONFIG_USERFAULTFD"),
            UnprivilegedUserfaultfd: false, // the sysctl's default; root has CAP_SYS_PTRACE anyway
            HasKsm: Has("CONFIG_KSM"),
            HasSysAdminCapability: true,
            HasSysPtraceCapability: true,
            ProcMemForce: Has("CONFIG_PROC_MEM_NO_FORCE") ? "never" : Has("CONFIG_PROC_MEM_FORCE_PTRACE") ? "ptrace" : "always",
            PtraceScope: Has("CONFIG_SECURITY_YAMA") ? 1 : null);
    }

    /// <summary>Facts for a guest that is not there: every instance skips with <paramref name="why"/>.</summary>
    public static KernelFacts Unavailable(string why) => KernelFacts.Absent(isLinux: true, "unknown") with
    {
        Unavailable = $"the guest kernel is not available: {why}",
    };

    /// <summary>The upstream version of the source package build.sh built ("6.12.118" from "6.12.118-1~deb12u1"), which is what uname -r says in the guest.</summary>
    internal static string Release(GuestKernel kernel)
    {
        var info = Path.Combine(kernel.Directory, "info");
        var source = File.Exists(info) ? File.ReadAllLines(info).FirstOrDefault(l => l.StartsWith("source=", StringComparison.Ordinal)) : null;
        return source is not null && UpstreamVersion().Match(source) is { Success: true } match ? match.Groups[1].Value : kernel.Key;
    }

    [GeneratedRegex(@" (\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex UpstreamVersion();
}
