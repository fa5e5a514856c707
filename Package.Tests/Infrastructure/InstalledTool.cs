namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>
/// The `cowguard` tool installed from the test feed into a temporary tool path with <c>dotnet tool install</c>, the
/// way a user installs it, through a NuGet.config that names only the feed.
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private readonly TemporaryDirectory _root = new("cowguard-tool");

    public InstalledTool(PackedPackage package)
    {
        var toolPath = System.IO.Path.Combine(_root.Path, "tools");
        var config = NuGetConfig.Write(_root.Path, package.FeedDirectory, feedOnly: true);
        var install = ProcessRunner.Dotnet(
            _root.Path,
            "tool", "install", RepositoryLayout.ToolPackageId,
            "--version", RepositoryLayout.Version,
            "--tool-path", toolPath,
            "--configfile", config);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing the cowguard tool from the feed failed.\n{install}");
        }

        Command = System.IO.Path.Combine(toolPath, OperatingSystem.IsWindows() ? "cowguard.exe" : "cowguard");
        if (!File.Exists(Command))
        {
            throw new InvalidOperationException($"`dotnet tool install` succeeded but {Command} is missing.\n{install}");
        }
    }

    /// <summary>The installed command (the tool's app host), as a shell finds it on PATH.</summary>
    public string Command { get; }

    internal CommandResult Run(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run(Command, workingDirectory, TimeSpan.FromMinutes(10), arguments);

    public void Dispose() => _root.Dispose();
}
