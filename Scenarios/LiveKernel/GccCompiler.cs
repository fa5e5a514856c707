using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Compiles generated programs with the system C compiler. Binaries are cached by a hash of the program and the
/// support headers under the temporary folder, so each scenario instance is compiled once per change.
/// </summary>
internal sealed class GccCompiler(string compiler)
{
    private static readonly string CacheRoot = Path.Combine(Path.GetTempPath(), "cowguard-live");

    /// <summary>The path of the compiled program; throws <see cref="LiveKernelException"/> with gcc's output on failure.</summary>
    public string Compile(string source)
    {
        var headers = CSupportFiles.All;
        var key = Hash(string.Concat(headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + "\0" + h.Value + "\0")) + source);
        var directory = Path.Combine(CacheRoot, key);
        var binary = Path.Combine(directory, "scenario");
        if (File.Exists(binary))
        {
            return binary;
        }

        Directory.CreateDirectory(directory);
        foreach (var (name, text) in headers)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        var program = Path.Combine(directory, "scenario.c");
        File.WriteAllText(program, source);
        var temporary = binary + "." + Environment.ProcessId + ".tmp";
        var start = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-O1", "-Wall", "-I", directory, "-o", temporary, program })
        {
            start.ArgumentList.Add(argument);
        }

        using var gcc = Process.Start(start) ?? throw new LiveKernelException($"cannot start {compiler}");
        var errors = gcc.StandardError.ReadToEndAsync();
        gcc.StandardOutput.ReadToEnd();
        if (!gcc.WaitForExit(120_000))
        {
            gcc.Kill(entireProcessTree: true);
            throw new LiveKernelException($"{compiler} did not finish within 120 s on {program}");
        }

        if (gcc.ExitCode != 0)
        {
            throw new LiveKernelException($"{compiler} failed on {program}:\n{errors.Result}");
        }

        File.Move(temporary, binary, overwrite: true); // atomic: a concurrent run sees no half-written binary
        return binary;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
