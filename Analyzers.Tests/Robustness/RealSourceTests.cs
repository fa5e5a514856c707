using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace CowGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Every CowGuard analyzer over real C# source: this repository's own projects (thousands of lines that use the
/// VmModel API, compiled per project so the semantic model binds) and the sources shipped in packages on this
/// machine (one compilation per file; missing references only make the code unbound, which analyzers must survive).
/// </summary>
public sealed class RealSourceTests(ITestOutputHelper output)
{
    /// <summary>Generous: a file normally takes milliseconds; this only catches runaway analysis.</summary>
    private static readonly TimeSpan MaxPerCompilation = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Projects() => new() { "Runtime", "Scenarios", "Cli", "Benchmarks", "Runtime.Tests", "Scenarios.Tests" };

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Analyzers_never_fail_on_a_project_of_this_repository(string project)
    {
        var files = SourceFiles.Project(project);
        Assert.True(files.Count > 5, $"{project}: only {files.Count} source files found under {SourceFiles.RepositoryRoot()}");
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), AnalyzerRun.ParseOptions, f)).ToList();
        var result = await AnalyzerRun.AnalyzeAsync(AnalyzerRun.Compile(project, trees));

        var lines = trees.Sum(t => t.GetText().Lines.Count);
        output.WriteLine($"{project}: {files.Count} files, {lines} lines, {result.Diagnostics.Length} CowGuard diagnostics, {result.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Empty(result.Failures);
        Assert.True(result.Elapsed < MaxPerCompilation, $"{project} took {result.Elapsed}");
    }

    [Fact]
    public async Task Analyzers_never_fail_on_the_sources_shipped_in_packages()
    {
        var sources = SourceFiles.Packages();
        var failures = new ConcurrentBag<string>();
        var (slowest, slowestName, lines) = (TimeSpan.Zero, string.Empty, 0);
        foreach (var (name, text) in sources)
        {
            var tree = CSharpSyntaxTree.ParseText(text, AnalyzerRun.ParseOptions, name);
            var result = await AnalyzerRun.AnalyzeAsync(AnalyzerRun.Compile("Package", [tree]));
            result.Failures.ToList().ForEach(f => failures.Add($"{name}: {f}"));
            lines += tree.GetText().Lines.Count;
            if (result.Elapsed > slowest)
            {
                (slowest, slowestName) = (result.Elapsed, name);
            }
        }

        output.WriteLine($"{sources.Count} package source files, {lines} lines; slowest {slowest.TotalMilliseconds:F0} ms ({slowestName})");
        Assert.Empty(failures);
        Assert.True(slowest < MaxPerCompilation, $"{slowestName} took {slowest}");
    }
}
