using CowGuard.Benchmarks.AnalyzerOverhead;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// Writes a corpus to disk as a standalone project the way a user would have it: VmModel referenced as an assembly and
/// CowGuard's analyzer DLL as an analyzer (switchable off with -p:UseCowGuard=false, for the build without it), and a
/// target that writes the compiler's command line for running csc directly.
/// Empty Directory.Build.props/targets keep any parent folder's settings out.
/// </summary>
internal static class CorpusProjectWriter
{
    public static string Write(GeneratedCorpus corpus, string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        foreach (var file in corpus.Files)
        {
            var path = Path.Combine(directory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text);
        }

        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        var project = Path.Combine(directory, "Synthetic.csproj");
        File.WriteAllText(project, ProjectText(corpus));
        return project;
    }

    private static string ProjectText(GeneratedCorpus corpus)
    {
        var vmModel = corpus.Profile.ReferencesVmModel
            ? $"""
                  <Reference Include="CowGuard.VmModel" HintPath="{typeof(FollFlags).Assembly.Location}" />
              """
            : string.Empty;
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <UseCowGuard Condition="'$(UseCowGuard)' == ''">true</UseCowGuard>
              </PropertyGroup>
              <ItemGroup>
            {vmModel}
                <Analyzer Include="{CowGuardAnalyzerSet.Assembly.Location}" Condition="'$(UseCowGuard)' == 'true'" />
              </ItemGroup>
              <!-- For the compiler-cpu benchmark: the compiler's arguments, one per line, as the Csc task computes them
                   (-p:SkipCompilerExecution=true -p:ProvideCommandLineArgs=true -p:CscArgumentsFile=PATH). -->
              <Target Name="WriteCscArguments" AfterTargets="CoreCompile" Condition="'$(CscArgumentsFile)' != ''">
                <WriteLinesToFile File="$(CscArgumentsFile)" Lines="@(CscCommandLineArgs)" Overwrite="true" />
                <WriteLinesToFile File="$(CscArgumentsFile).roslyn" Lines="$(RoslynTargetsPath)" Overwrite="true" />
              </Target>
            </Project>

            """;
    }
}
