using System.Text.RegularExpressions;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// A temporary copy of samples/DmaDriver that restores CowGuard from the test feed into its own packages folder
/// (a shared cache would serve a stale copy of the same version) and builds from clean every time.
/// </summary>
internal sealed partial class ConsumerProject : IDisposable
{
    private readonly TemporaryDirectory _root = new("cowguard-consumer");

    public ConsumerProject(PackedPackage package)
    {
        ProjectDirectory = System.IO.Path.Combine(_root.Path, "DmaDriver");
        Directory.CreateDirectory(ProjectDirectory);
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.SampleProjectDirectory))
        {
            File.Copy(file, System.IO.Path.Combine(ProjectDirectory, System.IO.Path.GetFileName(file)));
        }

        // Stop MSBuild from importing anything above the temporary folder.
        File.WriteAllText(System.IO.Path.Combine(_root.Path, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(System.IO.Path.Combine(_root.Path, "Directory.Build.targets"), "<Project />\n");
        NuGetConfig.Write(_root.Path, package.FeedDirectory, feedOnly: false);
    }

    public string ProjectDirectory { get; }

    public string ProjectFile => System.IO.Path.Combine(ProjectDirectory, "DmaDriver.csproj");

    public string PathOf(string fileName) => System.IO.Path.Combine(ProjectDirectory, fileName);

    /// <summary>Builds from clean (never incrementally: an up-to-date build prints no analyzer diagnostics).</summary>
    public CommandResult Build(params string[] extraArguments) =>
        ProcessRunner.Dotnet(ProjectDirectory, ["build", ProjectFile, "--no-incremental", "-nologo", .. extraArguments]);

    public CommandResult Format(params string[] extraArguments) =>
        ProcessRunner.Dotnet(ProjectDirectory, ["format", "analyzers", ProjectFile, .. extraArguments]);

    /// <summary>Adds an MSBuild property to the project file, as a user would.</summary>
    public void SetProperty(string name, string value)
    {
        var text = File.ReadAllText(ProjectFile);
        text = text.Replace("</PropertyGroup>", $"  <{name}>{value}</{name}>\n  </PropertyGroup>", StringComparison.Ordinal);
        File.WriteAllText(ProjectFile, text);
    }

    public void WriteEditorConfig(string contents) =>
        File.WriteAllText(System.IO.Path.Combine(ProjectDirectory, ".editorconfig"), "root = true\n\n[*.cs]\n" + contents);

    /// <summary>
    /// The lines of <paramref name="fileName"/> that the sample marks with <c>// expect CGxxxx</c>: where a user
    /// should see the diagnostic.
    /// </summary>
    public IReadOnlyList<(int Line, string Id)> ExpectedDiagnostics(string fileName) =>
        File.ReadAllLines(PathOf(fileName))
            .Select((text, index) => (Line: index + 1, Match: ExpectMarker().Match(text)))
            .Where(x => x.Match.Success)
            .Select(x => (x.Line, x.Match.Groups["id"].Value))
            .ToList();

    public void Dispose() => _root.Dispose();

    [GeneratedRegex(@"//\s*expect\s+(?<id>CG\d{4})")]
    private static partial Regex ExpectMarker();
}
