namespace CowGuard.Package.Tests.Infrastructure.LanguageServer;

/// <summary>
/// csharp-ls, a Roslyn-based language server shipped as a .NET tool, installed into a temporary tool path at a pinned
/// version (facts about it: ../shared/reference/ide.md). <see cref="Unavailable"/> says why it could not be installed
/// on this machine (no registry, no such version), so tests skip with that reason instead of passing.
/// </summary>
public sealed class CSharpLanguageServer : IDisposable
{
    /// <summary>The version the editor test is written against: analyzers off by default, pull and push diagnostics.</summary>
    public const string Version = "0.28.0";

    private readonly TemporaryDirectory _root = new("cowguard-csharp-ls");

    public CSharpLanguageServer()
    {
        var toolPath = System.IO.Path.Combine(_root.Path, "tools");
        var started = System.Diagnostics.Stopwatch.StartNew();
        Command = System.IO.Path.Combine(toolPath, OperatingSystem.IsWindows() ? "csharp-ls.exe" : "csharp-ls");
        try
        {
            var install = ProcessRunner.Dotnet(
                _root.Path,
                "tool", "install", "csharp-ls", "--version", Version, "--tool-path", toolPath,
                "--configfile", System.IO.Path.Combine(RepositoryLayout.Root, "NuGet.config"));
            if (install.ExitCode != 0 || !File.Exists(Command))
            {
                Unavailable = $"csharp-ls {Version} could not be installed here (`dotnet tool install` exit {install.ExitCode}): " +
                    string.Join(" / ", install.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3));
            }
        }
        catch (TimeoutException e)
        {
            // A registry that never answers (a closed network without a fast refusal) is a missing prerequisite too.
            Unavailable = $"csharp-ls {Version} could not be installed here: {e.Message.Split('\n')[0]}";
        }

        InstallTime = started.Elapsed;
    }

    /// <summary>The installed server command.</summary>
    public string Command { get; }

    /// <summary>Why the server is not available here, or null when it is.</summary>
    public string? Unavailable { get; }

    public TimeSpan InstallTime { get; }

    public void Dispose() => _root.Dispose();
}
