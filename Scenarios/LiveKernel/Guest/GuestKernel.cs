using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// A second live kernel: Debian's linux-source built by kernel/build.sh with CONFIG_GUP_TEST, CONFIG_MEM_SOFT_DIRTY
/// and the rest of kernel/guest.config, booted under QEMU (TCG) once per batch of statically linked programs. Each
/// program's stdout, stderr and exit status come back over a second serial port (kernel/init.sh describes the frames),
/// apart from the kernel's console. <see cref="Locate"/> finds the built kernel or says what is missing.
/// </summary>
internal sealed class GuestKernel
{
    private const string Qemu = "qemu-system-x86_64";
    private static readonly string[] BusyboxPaths = ["/bin/busybox", "/usr/bin/busybox"];
    private static readonly string[] StaticLibcPaths = ["/usr/lib/x86_64-linux-gnu/libc.a", "/usr/lib64/libc.a", "/usr/lib/libc.a"];

    private GuestKernel(string directory, string qemu, string busybox)
    {
        Directory = directory;
        QemuPath = qemu;
        BusyboxPath = busybox;
        Key = Path.GetFileName(directory);
    }

    /// <summary>The cache entry build.sh made: bzImage, config, include/, gup_test.h, info.</summary>
    public string Directory { get; }

    /// <summary>The cache key: kernel series, source package version, config fragment hash.</summary>
    public string Key { get; }

    public string BzImage => Path.Combine(Directory, "bzImage");

    /// <summary>The guest kernel's UAPI headers (make headers), for <see cref="GuestCompiler"/>.</summary>
    public string IncludeDirectory => Path.Combine(Directory, "include");

    /// <summary>The folder holding gup_test.h (mm/gup_test.h: the ioctl ABI of /sys/kernel/debug/gup_test).</summary>
    public string GupTestHeaderDirectory => Directory;

    public string QemuPath { get; }

    public string BusyboxPath { get; }

    /// <summary>
    /// Finds the built guest kernel and the tools to boot it, installing and building nothing (build.sh --check).
    /// </summary>
    /// <param name="cacheDirectory">The kernel cache (default: build.sh's, ${XDG_CACHE_HOME:-~/.cache}/cowguard/guest).</param>
    public static GuestLookup Locate(string? cacheDirectory = null)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            return GuestLookup.Missing(GuestMissing.UnsupportedHost, $"the guest kernel runs on x86-64 Linux only (this is {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture})");
        if (string.Equals(Environment.GetEnvironmentVariable("COWGUARD_GUEST"), "off", StringComparison.OrdinalIgnoreCase))
            return GuestLookup.Missing(GuestMissing.Disabled, "COWGUARD_GUEST=off");
        var (status, kernelDirectory, message) = RunBuildCheck(cacheDirectory);
        if (status != 0)
            return GuestLookup.Missing(status == 4 ? GuestMissing.Packages : GuestMissing.KernelNotBuilt, message);
        if (FindOnPath(Qemu) is not { } qemu)
            return GuestLookup.Missing(GuestMissing.Qemu, $"no {Qemu} on PATH (apt-get install qemu-system-x86, or run {GuestScripts.BuildScript})");
        if (BusyboxPaths.FirstOrDefault(p => File.Exists(p) && ElfFile.WhyNotStatic(p) is null) is not { } busybox)
            return GuestLookup.Missing(GuestMissing.Busybox, "no statically linked busybox in /bin or /usr/bin (apt-get install busybox-static)");
        if (FindOnPath("gcc") is null || !StaticLibcPaths.Any(File.Exists))
            return GuestLookup.Missing(GuestMissing.Compiler, "no gcc with a static C library (apt-get install gcc libc6-dev)");
        return GuestLookup.Found(new GuestKernel(kernelDirectory, qemu, busybox));
    }

    /// <summary>
    /// Boots the guest once and runs <paramref name="programs"/> in order. Never throws for what happens in the guest:
    /// a program that crashes, hangs past its timeout or a guest that panics or hangs past the batch timeout (QEMU is
    /// then killed) shows in the results. Throws <see cref="ArgumentException"/> for a program that is not a static
    /// x86-64 executable or a duplicate name, <see cref="LiveKernelException"/> when QEMU cannot start.
    /// </summary>
    public async Task<GuestBatchResult> RunAsync(IReadOnlyList<GuestProgram> programs, GuestBootOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(programs);
        options ??= new GuestBootOptions();
        foreach (var program in programs)
        {
            if (ElfFile.WhyNotStatic(program.Binary) is { } why)
                throw new ArgumentException($"guest program '{program.Name}': {why}", nameof(programs));
        }

        if (programs.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"two guest programs are named '{duplicate.Key}'", nameof(programs));

        var work = System.IO.Directory.CreateTempSubdirectory("cowguard-guest-run-").FullName;
        try
        {
            var initramfs = Path.Combine(work, "initramfs.cpio.gz");
            GuestInitramfs.Write(initramfs, BusyboxPath, programs);
            var console = Path.Combine(work, "console.log");
            var report = Path.Combine(work, "report.bin");
            var timeout = options.BatchTimeout ?? TimeSpan.FromSeconds(60) + programs.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Timeout);
            var (wall, timedOut, qemuErrors) = await BootAsync(initramfs, console, report, options, timeout, cancellationToken).ConfigureAwait(false);
            var consoleText = File.Exists(console) ? await File.ReadAllTextAsync(console, cancellationToken).ConfigureAwait(false) : "";
            if (qemuErrors.Length > 0)
                consoleText += "\n[qemu stderr]\n" + qemuErrors;
            var parsed = GuestSerialReport.Parse(File.Exists(report) ? await File.ReadAllBytesAsync(report, cancellationToken).ConfigureAwait(false) : []);
            var results = programs.Select((p, i) => Result(p, i, parsed)).ToList();
            return new GuestBatchResult(results, wall, parsed.ReadySeconds, parsed.DoneSeconds, parsed.HugePages2M, parsed.SwapKiB, timedOut, consoleText);
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }

    private async Task<(TimeSpan Wall, bool TimedOut, string Errors)> BootAsync(
        string initramfs, string console, string report, GuestBootOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var errors = new StringBuilder();
        var command = Cli.Wrap(QemuPath)
            .WithArguments(a => a
                .Add("-accel").Add("tcg").Add("-cpu").Add("max")
                .Add("-m").Add($"{options.MemoryMiB}M").Add("-smp").Add(options.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("-kernel").Add(BzImage).Add("-initrd").Add(initramfs)
                // panic=-1: a panic reboots at once, and -no-reboot turns that (and init's reboot -f) into QEMU's exit.
                .Add("-append").Add($"console=ttyS0 panic=-1 loglevel=4 cg_hugepages={options.HugePages2M}")
                .Add("-nodefaults").Add("-display").Add("none").Add("-no-reboot")
                .Add("-serial").Add("file:" + console).Add("-serial").Add("file:" + report))
            .WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(errors));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await command.ExecuteAsync(limit.Token).ConfigureAwait(false); // cancelling kills QEMU
            return (clock.Elapsed, false, errors.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (clock.Elapsed, true, errors.ToString());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LiveKernelException($"cannot start {QemuPath}: {e.Message}");
        }
    }

    private static GuestProgramResult Result(GuestProgram program, int index, GuestSerialReport report)
    {
        if (!report.Finished.TryGetValue(index, out var finished))
        {
            var outcome = report.LastStarted == index ? GuestOutcome.Interrupted : GuestOutcome.NotRun;
            return new GuestProgramResult(program.Name, outcome, null, null, "", "", null);
        }

        var (stdout, stderr, status, seconds) = finished;
        if (status <= 128)
            return new GuestProgramResult(program.Name, GuestOutcome.Exited, status, null, stdout, stderr, seconds);
        var signal = status - 128;
        // busybox timeout sends SIGKILL when the program's time is up; a SIGKILL near that moment is the timeout.
        var timedOut = signal == 9 && seconds >= program.Timeout.TotalSeconds - 0.5;
        return new GuestProgramResult(program.Name, timedOut ? GuestOutcome.TimedOut : GuestOutcome.Signalled, null, signal, stdout, stderr, seconds);
    }

    /// <summary>build.sh --check: (0, the kernel's folder, "") or (3 not built / 4 packages missing, "", why).</summary>
    private static (int Status, string Directory, string Message) RunBuildCheck(string? cacheDirectory)
    {
        var check = Cli.Wrap("bash")
            .WithArguments(a =>
            {
                a.Add(GuestScripts.BuildScript).Add("--check");
                if (cacheDirectory is not null)
                    a.Add("--cache").Add(cacheDirectory);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().Task.GetAwaiter().GetResult(); // Locate is synchronous: test fixtures and the CLI call it once
        var output = check.StandardOutput.Trim();
        var message = check.StandardError.Trim().Replace("guest-kernel: ", "", StringComparison.Ordinal);
        return check.ExitCode switch
        {
            0 when System.IO.Directory.Exists(output) => (0, output, ""),
            3 or 4 => (check.ExitCode, "", message),
            _ => (3, "", $"{GuestScripts.BuildScript} --check failed (exit {check.ExitCode}): {message}"),
        };
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
}
