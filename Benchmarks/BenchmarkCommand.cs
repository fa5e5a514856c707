using CowGuard.Benchmarks.AnalyzerOverhead;
using CowGuard.Benchmarks.Model;
using CowGuard.Benchmarks.Reporting;
using CowGuard.Benchmarks.Scale;

namespace CowGuard.Benchmarks;

/// <summary>The command line of the benchmark harness; bench.sh is the one documented entry point that drives it.</summary>
internal static class BenchmarkCommand
{
    private const string Usage = """
        usage: CowGuard.Benchmarks <command> [options]
          analyzer      --lines 20000,200000 [--repetitions 3] [--profiles dense,plain,plain+ref] [--analysis serial|concurrent] [--out DIR]   in-process analyzer overhead
          build-report  --lines 200000 [--profile dense] [--out DIR] [--work DIR]   real dotnet build -p:ReportAnalyzer=true
          compiler-cpu  --lines 200000 [--profile dense] [--pairs 3] [--parallel true|false] [--perf false|true] [--analyzer DLL] [--baseline none|no-op|DLL] [--reportanalyzer true|false] [--out DIR] [--work DIR]
                        the SDK's csc run directly with and without CowGuard: process CPU time, /reportanalyzer, perf samples
          model         --pages 1024,8192,65536 [--mode quick|full] [--out DIR]     VmModel (BenchmarkDotNet) vs live kernel (cowbench.c)
          catalogue     --cli PATH/cowguard.dll [--repetitions 3] [--out DIR]   the whole scenario catalogue (cowguard matrix)
          scale         --pages 4194304 [--out DIR]      16 GiB process filled, forked, fully COWed; managed heap per phase
          random-ops    --ops 5000000 [--warmup 100000] [--pages 65536] [--out DIR]   single-threaded random model operations per second
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var options = CommandOptions.Parse(args);
            switch (options.Command)
            {
                case "analyzer":
                    await AnalyzerOverheadCommand.RunAsync(options).ConfigureAwait(false);
                    return 0;
                case "model":
                    ModelCommand.Run(options);
                    return 0;
                case "catalogue":
                    CatalogueCommand.Run(options);
                    return 0;
                case "scale":
                    return ScaleCommand.Run(options);
                case "random-ops":
                    return RandomOpsCommand.Run(options);
                case "build-report":
                    BuildReportCommand.Run(options);
                    return 0;
                case "compiler-cpu":
                    CompilerCpuCommand.Run(options);
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown command '{options.Command}'");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is BenchmarkFailedException or ExternalCommandException or IOException)
        {
            Console.Error.WriteLine($"benchmark failed: {e.Message}");
            return 1;
        }
    }
}
