using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CowGuard.Benchmarks.Reporting;
using Perfolizer.Horology;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// Runs the model benchmarks with BenchmarkDotNet in process (InProcessEmitToolchain: no generated project is built,
/// so nothing is compiled into other people's bin/obj folders and the run starts at once) and returns the medians.
/// </summary>
internal static class ModelBenchmarkRunner
{
    public static readonly Type[] Suites = [typeof(ForkBenchmarks), typeof(FaultBenchmarks), typeof(GupBenchmarks), typeof(ReclaimBenchmarks)];

    public static IReadOnlyList<ModelMeasurement> Run(IReadOnlyList<int> pageCounts, bool quick, string artifacts)
    {
        ModelBenchmarkSettings.PageCounts = pageCounts;
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 3 : 10)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary);

        var results = new List<ModelMeasurement>();
        foreach (var summary in BenchmarkRunner.Run(Suites, config))
        {
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is not { } statistics)
                {
                    throw new BenchmarkFailedException($"benchmark {report.BenchmarkCase.DisplayInfo} produced no result (see the log above)");
                }

                var pages = (int)report.BenchmarkCase.Parameters["Pages"];
                var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                results.Add(new ModelMeasurement(name, pages, statistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)));
            }
        }

        return results;
    }
}
