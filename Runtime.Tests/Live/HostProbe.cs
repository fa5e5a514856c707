using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace CowGuard.VmModel.Tests.Live;

/// <summary>
/// Small C programs (Live/probes/*.c) compiled statically with this machine's gcc and run on this machine's kernel, so
/// a model behaviour can be checked against the real one without the scenario layer. Tests skip where there is no
/// Linux or no gcc.
/// </summary>
internal static class HostProbe
{
    private static readonly string CacheRoot = Path.Combine(Path.GetTempPath(), "cowguard-runtime-probes");

    /// <summary>Compiles probes/<paramref name="probe"/> (cached by content) and runs it with <paramref name="arguments"/>.</summary>
    public static (int ExitCode, string Stdout) Run(string probe, IEnumerable<string> arguments)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the probes need a Linux kernel");
        var gcc = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "gcc")).FirstOrDefault(File.Exists);
        Skip.If(gcc is null, "no gcc on PATH to build the probes");
        var source = File.ReadAllText(Path.Combine(ProbeDirectory(), probe));
        var folder = Path.Combine(CacheRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..20]);
        var binary = Path.Combine(folder, Path.GetFileNameWithoutExtension(probe));
        if (!File.Exists(binary))
        {
            Directory.CreateDirectory(folder);
            var temporary = binary + "." + Environment.ProcessId + ".tmp";
            var (status, _, errors) = Execute(gcc!, ["-O1", "-Wall", "-static", "-o", temporary, Path.Combine(ProbeDirectory(), probe)]);
            Assert.True(status == 0, $"gcc failed on {probe}:\n{errors}");
            File.Move(temporary, binary, overwrite: true);
        }

        var (exit, output, _) = Execute(binary, arguments);
        return (exit, output);
    }

    private static (int Status, string Stdout, string Stderr) Execute(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within 60 s");
        }

        return (process.ExitCode, output, errors.Result);
    }

    private static string ProbeDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "probes");
}
