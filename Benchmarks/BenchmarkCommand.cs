using System.CommandLine;
using CowGuard.Benchmarks.AnalyzerOverhead;
using CowGuard.Benchmarks.Model;
using CowGuard.Benchmarks.Reporting;
using CowGuard.Benchmarks.Scale;

namespace CowGuard.Benchmarks;

/// <summary>
/// The command line of the benchmark harness (System.CommandLine, like the cowguard CLI); bench.sh is the one
/// documented entry point that drives it. Exit codes: 0 done, 1 a benchmark failed (its check, a child process, I/O),
/// 2 a bad command line (reported with every error before anything runs).
/// </summary>
internal static class BenchmarkCommand
{
    public const int UsageExitCode = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Error);

    /// <summary>Parses <paramref name="args"/>; reports every parse error on <paramref name="error"/> (exit 2) or runs the command.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync(parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("(CowGuard.Benchmarks --help lists the commands and their options)").ConfigureAwait(false);
            return UsageExitCode;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>The harness's commands, each with its typed options.</summary>
    public static RootCommand CreateRoot() =>
        new("CowGuard's benchmark harness (driven by bench.sh).")
        {
            AnalyzerOverheadCommand.Create(),
            BuildReportCommand.Create(),
            CompilerCpuCommand.Create(),
            ModelCommand.Create(),
            CatalogueCommand.Create(),
            ScaleCommand.Create(),
            RandomOpsCommand.Create(),
        };

    /// <summary>Runs a command's body: a failed benchmark is one line on stderr and exit code 1, not a stack trace.</summary>
    public static int Guard(Func<int> body) => GuardAsync(() => Task.FromResult(body())).GetAwaiter().GetResult();

    /// <inheritdoc cref="Guard"/>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is BenchmarkFailedException or ExternalCommandException or IOException)
        {
            await Console.Error.WriteLineAsync($"benchmark failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
