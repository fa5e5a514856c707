using CowGuard.Benchmarks.AnalyzerOverhead;
using Xunit;

namespace CowGuard.Benchmarks.Tests;

/// <summary>`compiler-cpu --project PATH`: the two compiler command lines composed from MSBuild's, the MSBuild
/// properties passed on, and the option's parsing (no build runs here).</summary>
public sealed class RealProjectTests
{
    private static readonly string[] Msbuild =
    [
        "/noconfig", "/unsafe+", "/nullable:enable", "/reference:/packs/System.Runtime.dll",
        "/out:obj/Release/net10.0/Jint.dll", "/refout:obj/Release/net10.0/refint/Jint.dll", "/doc:obj/Release/net10.0/Jint.xml",
        "/analyzer:/nuget/meziantou.analyzer/lib/Meziantou.Analyzer.dll", "Engine.cs", "Native/Array/ArrayInstance.cs", "",
    ];

    [Fact]
    public void The_compile_without_CowGuard_is_MSBuilds_plus_the_VmModel_reference_with_outputs_moved_to_the_work_folder()
    {
        var without = CscCommandLine.Without(Msbuild, new CscAdditions(ReportAnalyzer: true, Parallel: true, BaselineAnalyzer: null, "/cg/CowGuard.VmModel.dll", "/work/out"));

        Assert.Equal(
            [
                "/unsafe+", "/nullable:enable", "/reference:/packs/System.Runtime.dll",
                "/out:/work/out/Jint.dll", "/refout:/work/out/ref/Jint.dll", "/doc:/work/out/Jint.xml",
                "/analyzer:/nuget/meziantou.analyzer/lib/Meziantou.Analyzer.dll", "Engine.cs", "Native/Array/ArrayInstance.cs",
                "/reference:/cg/CowGuard.VmModel.dll", "/reportanalyzer",
            ],
            without);
    }

    [Fact]
    public void The_compile_with_CowGuard_differs_only_by_its_analyzer()
    {
        var without = CscCommandLine.Without(Msbuild, new CscAdditions(ReportAnalyzer: false, Parallel: false, BaselineAnalyzer: "/b/NoOp.dll", "/cg/CowGuard.VmModel.dll"));

        var with = CscCommandLine.With(without, "/cg/CowGuard.Analyzers.dll");

        Assert.Equal([.. without, "/analyzer:/cg/CowGuard.Analyzers.dll"], with);
        Assert.Equal(["/parallel-", "/analyzer:/b/NoOp.dll"], without.TakeLast(2));
        Assert.DoesNotContain("/reportanalyzer", without);
        Assert.Contains("/out:obj/Release/net10.0/Jint.dll", without);
    }

    [Theory]
    [InlineData("/reference:/nuget/cowguard/lib/net10.0/CowGuard.VmModel.dll")]
    [InlineData("/reference:Vm=/nuget/cowguard/lib/net10.0/CowGuard.VmModel.dll")]
    [InlineData("/r:/a/Other.dll,/nuget/cowguard/lib/net10.0/cowguard.vmmodel.dll")]
    public void A_project_that_already_references_VmModel_does_not_get_a_second_reference(string reference)
    {
        var without = CscCommandLine.Without([reference, "A.cs"], new CscAdditions(ReportAnalyzer: false, Parallel: true, BaselineAnalyzer: null, "/cg/CowGuard.VmModel.dll"));

        Assert.Equal([reference, "A.cs"], without);
    }

    [Fact]
    public void The_source_files_are_the_arguments_that_are_not_switches_resolved_against_the_project()
    {
        Assert.Equal(
            ["/src/jint/Jint/Engine.cs", "/src/jint/Jint/Native/Array/ArrayInstance.cs"],
            CscCommandLine.SourceFiles(Msbuild, "/src/jint/Jint"));
    }

    [Fact]
    public void MSBuild_gets_a_Release_build_unless_told_otherwise_and_semicolons_escaped()
    {
        Assert.Equal(
            ["-p:Configuration=Release", "-p:TargetFramework=net10.0", "-p:WarningsNotAsErrors=NU1603%3BCS1591"],
            RealProject.MsBuildProperties([new("TargetFramework", "net10.0"), new("WarningsNotAsErrors", "NU1603;CS1591")]));
        Assert.Equal(["-p:configuration=Debug"], RealProject.MsBuildProperties([new("configuration", "Debug")]));
    }

    [Fact]
    public void A_sampled_compile_alone_is_pairs_0_with_perf()
    {
        Assert.Empty(BenchmarkCommand.CreateRoot().Parse(["compiler-cpu", "--pairs", "0", "--perf", "true"]).Errors);
    }

    [Fact]
    public void Projects_and_properties_parse_repeated()
    {
        var a = Path.GetTempFileName();
        var b = Path.GetTempFileName();
        try
        {
            var parse = BenchmarkCommand.CreateRoot().Parse(
                ["compiler-cpu", "--project", a, "--project", b, "--property", "TargetFramework=net10.0", "--pairs", "1", "--perf", "true"]);

            Assert.Empty(parse.Errors);
            Assert.Equal([a, b], parse.GetValue<FileInfo[]>("--project")!.Select(f => f.FullName));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [Theory]
    [InlineData("--project /nonexistent/App.csproj", "/nonexistent/App.csproj")]
    [InlineData("--project {0} --corpus .", "--project and --corpus cannot be combined")]
    [InlineData("--project {0} --lines 2000", "--lines describes a generated corpus and cannot be combined with --project")]
    [InlineData("--project {0} --package A@1.0", "--package needs --corpus")]
    [InlineData("--project {0} --using System.Linq", "--using needs --corpus")]
    [InlineData("--project {0} --pairs 0", "--pairs 0 measures nothing without --perf true")]
    [InlineData("--project {0} --pairs -1 --perf true", "--pairs: '-1' is not a whole number, zero or more")]
    public void Project_options_refuse_bad_values_and_combinations(string options, string expected)
    {
        var project = Path.GetTempFileName();
        try
        {
            var commandLine = "compiler-cpu " + string.Format(System.Globalization.CultureInfo.InvariantCulture, options, project);

            var errors = BenchmarkCommand.CreateRoot().Parse(commandLine.Split(' ')).Errors.Select(e => e.Message).ToList();

            Assert.Contains(errors, message => message.Contains(expected, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(project);
        }
    }
}
