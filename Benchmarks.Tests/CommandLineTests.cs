using CowGuard.Benchmarks.Corpus;
using Xunit;

namespace CowGuard.Benchmarks.Tests;

/// <summary>
/// The harness's command line (System.CommandLine): typed options with defaults, and every bad value reported with its
/// option's name before anything runs (exit code 2).
/// </summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task A_bad_command_line_reports_every_error_and_exits_2_before_anything_runs()
    {
        var results = Path.Combine(Path.GetTempPath(), $"cg-bench-tests-{Guid.NewGuid():N}");
        var error = new StringWriter();

        var exitCode = await BenchmarkCommand.RunAsync(["random-ops", "--ops", "0", "--pages", "lots", "--bogus", "--out", results], error);

        Assert.Equal(BenchmarkCommand.UsageExitCode, exitCode);
        var text = error.ToString();
        Assert.Contains("--ops: '0' is not a positive whole number", text, StringComparison.Ordinal);
        Assert.Contains("--pages: 'lots' is not a positive whole number", text, StringComparison.Ordinal);
        Assert.Contains("'--bogus'", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results), "the results directory was created although the command line was bad");
    }

    [Theory]
    [InlineData("model --pages 1024,-1", "--pages: '-1' is not a positive whole number")]
    [InlineData("model --mode slow", "'slow'")]
    [InlineData("analyzer --profiles dense,sparse", "--profiles: unknown corpus profile 'sparse' (known: dense, plain, plain+ref)")]
    [InlineData("build-report --profile sparse", "--profile: unknown corpus profile 'sparse'")]
    [InlineData("compiler-cpu --analyzer /nonexistent/CowGuard.Analyzers.dll", "/nonexistent/CowGuard.Analyzers.dll")]
    [InlineData("compiler-cpu --baseline /nonexistent/baseline.dll", "/nonexistent/baseline.dll")]
    [InlineData("compiler-cpu --perf maybe", "maybe")]
    [InlineData("catalogue --repetitions 2", "--cli")]
    [InlineData("random-ops --warmup 2.5", "--warmup: '2.5' is not a positive whole number")]
    [InlineData("scale --pages 4,194,304x", "--pages: '4,194,304x' is not a positive whole number")]
    [InlineData("no-such-benchmark", "'no-such-benchmark'")]
    public void Each_command_refuses_a_bad_value_naming_it(string commandLine, string expected)
    {
        var errors = BenchmarkCommand.CreateRoot().Parse(commandLine.Split(' ')).Errors.Select(e => e.Message).ToList();

        Assert.Contains(errors, message => message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Numbers_take_thousands_separators_lists_take_commas_and_omitted_options_their_defaults()
    {
        var randomOps = BenchmarkCommand.CreateRoot().Parse(["random-ops", "--ops", "5,000,000", "--pages", "1024"]);
        Assert.Empty(randomOps.Errors);
        Assert.Equal(5_000_000, randomOps.GetValue<int>("--ops"));
        Assert.Equal(1024, randomOps.GetValue<int>("--pages"));
        Assert.Null(randomOps.GetValue<int?>("--warmup"));
        Assert.Equal("bench-results", randomOps.GetValue<DirectoryInfo>("--out")!.Name);

        var model = BenchmarkCommand.CreateRoot().Parse(["model", "--pages", "1024, 8192", "--mode", "quick"]);
        Assert.Empty(model.Errors);
        Assert.Equal([1024, 8192], model.GetValue<IReadOnlyList<int>>("--pages"));
        Assert.Equal("quick", model.GetValue<string>("--mode"));

        var overhead = BenchmarkCommand.CreateRoot().Parse(["analyzer", "--profiles", "plain+ref,dense"]);
        Assert.Empty(overhead.Errors);
        Assert.Equal(["plain+ref", "dense"], overhead.GetValue<IReadOnlyList<CorpusProfile>>("--profiles")!.Select(p => p.Name));
        Assert.Equal([20_000, 200_000, 1_000_000], overhead.GetValue<IReadOnlyList<int>>("--lines"));
    }

    [Theory]
    [InlineData(new string[0], false, true)]
    [InlineData(new[] { "--perf" }, true, true)]
    [InlineData(new[] { "--perf", "true", "--parallel", "false" }, true, false)]
    [InlineData(new[] { "--perf", "false" }, false, true)]
    public void Switches_are_on_by_name_or_by_value(string[] options, bool perf, bool parallel)
    {
        var parse = BenchmarkCommand.CreateRoot().Parse(["compiler-cpu", .. options]);

        Assert.Empty(parse.Errors);
        Assert.Equal(perf, parse.GetValue<bool>("--perf"));
        Assert.Equal(parallel, parse.GetValue<bool>("--parallel"));
    }
}
