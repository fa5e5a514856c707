using CowGuard.Benchmarks.AnalyzerOverhead;
using Xunit;

namespace CowGuard.Benchmarks.Tests;

/// <summary>
/// Which frames of `perf script -F comm,pid,tid,ip,sym,dso` count for CowGuard: JIT-compiled CowGuard methods by their
/// perf-map names, and code of the package's ReadyToRun copy by the file perf attributes it to (it has no names there);
/// nothing else, including other analyzers' precompiled code and CowGuard's IL file name inside another path.
/// </summary>
public sealed class PerfSamplingTests
{
    [Fact]
    public void A_jit_compiled_CowGuard_frame_counts_with_its_rule_and_method()
    {
        var frame = PerfSampling.CowGuardFrameOf(
            "\t    7f0591171408 void [CowGuard.Analyzers] CowGuard.Analyzers.Rules.CG0001PageReferenceWithoutBreakCowAnalyzer+<>c__DisplayClass6_0::<Register>b__0(valuetype [Microsoft.CodeAnalysis]Microsoft.CodeAnalysis.Diagnostics.OperationAnalysisContext)[QuickJitted] (/tmp/perf-32718.map)");

        Assert.Equal(("CG0001PageReferenceWithoutBreakCowAnalyzer", "CG0001PageReferenceWithoutBreakCowAnalyzer.<Register>b__0"), frame);
    }

    [Fact]
    public void A_frame_in_the_ReadyToRun_image_counts_as_precompiled_CowGuard_code()
    {
        var frame = PerfSampling.CowGuardFrameOf(
            "\t    7f05a1c2d3e4 [unknown] (/root/.nuget/packages/cowguard/0.1.0/readytorun/linux-x64/CowGuard.Analyzers.dll)");

        Assert.Equal((PerfSampling.ReadyToRunCode, PerfSampling.ReadyToRunCode), frame);
    }

    /// <summary>
    /// With the map crossgen2 wrote beside the image, a precompiled frame gets its rule and method back: the
    /// analyzer project's ReadyToRun copy is built, and the file offset of a named method's code (its RVA through the
    /// image's section table, as perf prints it) is looked up.
    /// </summary>
    [SkippableFact]
    public void A_frame_in_a_ReadyToRun_image_with_its_map_is_named()
    {
        Skip.IfNot(
            OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "the ReadyToRun copy is built on linux-x64 only");
        var image = ReadyToRunImage.Build();
        var names = ReadyToRunMethodNames.Load(image);
        Assert.NotNull(names);

        var (rva, fileOffset) = ReadyToRunImage.CodeOf(image, "CG0001PageReferenceWithoutBreakCowAnalyzer::Analyze(");
        var frame = PerfSampling.CowGuardFrameOf($"\t    {fileOffset + 2:x} [unknown] ({image})", names);

        Assert.True(rva > 0);
        Assert.Equal(("CG0001PageReferenceWithoutBreakCowAnalyzer", "CG0001PageReferenceWithoutBreakCowAnalyzer.Analyze"), frame);

        // A method with a return value: the map writes its return type first.
        var (_, evaluate) = ReadyToRunImage.CodeOf(image, "FlagsEvaluator::Evaluate(");
        Assert.Equal(
            ("FlagsEvaluator", "FlagsEvaluator.Evaluate"),
            PerfSampling.CowGuardFrameOf($"\t    {evaluate:x} [unknown] ({image})", names));
    }

    [Theory]
    [InlineData("\t    7f05a1c2d3e4 [unknown] (/usr/share/dotnet/sdk/10.0.401/Sdks/Microsoft.NET.Sdk/analyzers/Microsoft.CodeAnalysis.NetAnalyzers.dll)")]
    [InlineData("\t    7f05a1c2d3e4 [unknown] (/usr/share/dotnet/sdk/10.0.401/Roslyn/bincore/Microsoft.CodeAnalysis.dll)")]
    [InlineData("\t    7f05a1c2d3e4 [unknown] (/tmp/OtherCowGuard.Analyzers.dll.so)")]
    [InlineData("\t    7f0591171408 instance bool [Microsoft.CodeAnalysis] Microsoft.CodeAnalysis.Diagnostics.AnalyzerExecutor::TryExecuteCallback()[OptimizedTier1] (/tmp/perf-1.map)")]
    public void Other_code_does_not_count(string line) =>
        Assert.Null(PerfSampling.CowGuardFrameOf(line));
}
