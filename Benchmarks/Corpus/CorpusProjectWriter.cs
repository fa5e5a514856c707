using CowGuard.Benchmarks.AnalyzerOverhead;
using System.Security;
using System.Text;
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

    /// <summary>
    /// A project compiling a real source tree in place (`compiler-cpu --corpus`): its files listed one by one (the
    /// tree's selection, not MSBuild's globs), VmModel referenced — the case measured is a team adding the package to
    /// code that never calls its page-reference APIs — plus the packages and properties the tree needs to compile.
    /// No generated AssemblyInfo, so a tree's own Properties/AssemblyInfo.cs does not clash with it.
    /// </summary>
    public static string Write(
        SourceTree tree, IReadOnlyList<PackageSpec> packages, IReadOnlyList<KeyValuePair<string, string>> properties, IReadOnlyList<string> usings, string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        var items = new StringBuilder();
        foreach (var file in tree.Files)
        {
            items.AppendLine($"    <Compile Include=\"{SecurityElement.Escape(MsBuildEscape(file))}\" />");
        }

        foreach (var package in packages)
        {
            items.AppendLine($"    <PackageReference Include=\"{SecurityElement.Escape(package.Id)}\" Version=\"{SecurityElement.Escape(package.Version)}\" />");
        }

        foreach (var name in usings)
        {
            items.AppendLine($"    <Using Include=\"{name}\" />");
        }

        var settings = new StringBuilder();
        settings.AppendLine("    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>");
        settings.AppendLine("    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>");
        settings.AppendLine("    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>");
        foreach (var (name, value) in properties)
        {
            settings.AppendLine($"    <{name}>{SecurityElement.Escape(value)}</{name}>");
        }

        var project = Path.Combine(directory, "RealCorpus.csproj");
        File.WriteAllText(project, ProjectText(referencesVmModel: true, settings.ToString(), items.ToString()));
        return project;
    }

    /// <summary>A path as a literal MSBuild item: its characters that MSBuild would read as syntax (; separates
    /// items, * and ? are wildcards, $ @ % ' start properties, items, metadata and escapes) written as %XX.</summary>
    private static string MsBuildEscape(string path)
    {
        var escaped = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            escaped.Append(c is '%' or ';' or '*' or '?' or '$' or '@' or '\'' ? $"%{(int)c:X2}" : c.ToString());
        }

        return escaped.ToString();
    }

    private static string ProjectText(GeneratedCorpus corpus) => ProjectText(corpus.Profile.ReferencesVmModel, string.Empty, string.Empty);

    /// <param name="settings">Properties after the defaults (a later property wins in MSBuild).</param>
    private static string ProjectText(bool referencesVmModel, string settings, string items)
    {
        var vmModel = referencesVmModel
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
            {settings}  </PropertyGroup>
              <ItemGroup>
            {vmModel}
            {items}    <Analyzer Include="{CowGuardAnalyzerSet.Assembly.Location}" Condition="'$(UseCowGuard)' == 'true'" />
              </ItemGroup>
              <!-- For the compiler-cpu benchmark: the compiler's arguments, as the Csc task computes them. -->
            {CscInvocation.WriteArgumentsTarget}
            </Project>

            """;
    }
}
