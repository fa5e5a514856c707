using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// Compiles C programs for the guest: gcc -static against the guest kernel's UAPI headers (so constants newer than
/// the host's linux-libc-dev are there) with gup_test.h on the include path. Binaries are cached under the temporary
/// folder by a hash of the source, the headers, the options and the kernel key.
/// </summary>
internal static class GuestCompiler
{
    private static readonly string CacheRoot = Path.Combine(Path.GetTempPath(), "cowguard-guest-bin");

    /// <summary>Compiles <paramref name="source"/> into a program named <paramref name="name"/>.</summary>
    /// <param name="kernel">The guest whose headers to use.</param>
    /// <param name="name">The program's name in its batch.</param>
    /// <param name="source">The C source.</param>
    /// <param name="headers">Extra headers (file name → text) written beside the source.</param>
    /// <param name="libraries">Static libraries to link, as gcc -l names (e.g. "uring").</param>
    /// <param name="timeout">The program's run-time limit in the guest.</param>
    /// <param name="cancellationToken">Cancels the compilation.</param>
    /// <exception cref="LiveKernelException">gcc failed; the message holds its output.</exception>
    public static async Task<GuestProgram> CompileAsync(
        GuestKernel kernel, string name, string source, IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyList<string>? libraries = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        headers ??= new Dictionary<string, string>();
        libraries ??= [];
        var key = Hash(kernel.Key + "\0" + source + "\0" + string.Join("\0", libraries) + "\0"
            + string.Concat(headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + "\0" + h.Value + "\0")));
        var folder = Path.Combine(CacheRoot, key);
        var binary = Path.Combine(folder, "program");
        if (!File.Exists(binary))
        {
            Directory.CreateDirectory(folder);
            foreach (var (file, text) in headers)
                await File.WriteAllTextAsync(Path.Combine(folder, file), text, cancellationToken).ConfigureAwait(false);
            var sourceFile = Path.Combine(folder, "program.c");
            await File.WriteAllTextAsync(sourceFile, source, cancellationToken).ConfigureAwait(false);
            var temporary = binary + "." + Environment.ProcessId + ".tmp";
            var result = await Cli.Wrap("gcc")
                .WithArguments(a =>
                {
                    a.Add("-O1").Add("-Wall").Add("-static").Add("-D_GNU_SOURCE")
                        .Add("-isystem").Add(kernel.IncludeDirectory).Add("-I").Add(kernel.GupTestHeaderDirectory)
                        .Add("-I").Add(folder).Add("-o").Add(temporary).Add(sourceFile);
                    foreach (var library in libraries)
                        a.Add("-l" + library);
                })
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
                throw new LiveKernelException($"gcc -static failed on {sourceFile}:\n{result.StandardError}");
            File.Move(temporary, binary, overwrite: true); // atomic: a concurrent run sees no half-written binary
        }

        return new GuestProgram(name, binary, timeout);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
