using System.Security.Cryptography;
using System.Text;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Processes;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Compiles generated programs with the system C compiler. Binaries are cached by a hash of the program and the
/// support headers under the temporary folder, so each scenario instance is compiled once per change.
/// </summary>
internal sealed class GccCompiler(string compiler)
{
    private static readonly string CacheRoot = Path.Combine(Path.GetTempPath(), "cowguard-live");

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

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
        var output = Run(["-O1", "-Wall", "-I", directory, "-o", temporary, program], program);
        if (output.ExitCode != 0)
        {
            throw new LiveKernelException($"{compiler} failed on {program}:\n{output.StandardError}");
        }

        File.Move(temporary, binary, overwrite: true); // atomic: a concurrent run sees no half-written binary
        return binary;
    }

    /// <summary>Checks a program without building it (gcc -fsyntax-only): the compiler's complaints, or an empty string.</summary>
    public string SyntaxErrors(string source)
    {
        var directory = Directory.CreateTempSubdirectory("cowguard-syntax-").FullName;
        try
        {
            foreach (var (name, text) in CSupportFiles.All)
            {
                File.WriteAllText(Path.Combine(directory, name), text);
            }

            var program = Path.Combine(directory, "scenario.c");
            File.WriteAllText(program, source);
            var output = Run(["-fsyntax-only", "-Wall", "-Werror", "-I", directory, program], program);
            return output.ExitCode == 0 ? string.Empty : output.StandardError;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private ProgramOutput Run(IReadOnlyList<string> arguments, string program)
    {
        try
        {
            return ExternalProgram.Run(compiler, arguments, Patience);
        }
        catch (TimeoutException)
        {
            throw new LiveKernelException($"{compiler} did not finish within {Patience.TotalSeconds:0} s on {program}");
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
