using System.Text;
using CliWrap;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;

namespace CowGuard.Cli.Fix;

/// <summary>A project, solution or folder that could not be restored or loaded; the message says which and why.</summary>
internal sealed class ProjectLoadException(string message) : Exception(message);

/// <summary>
/// Opens what the user named the way <c>dotnet build</c> would find it: a .csproj, a .sln/.slnx/.slnf, or a folder
/// holding exactly one of them. Restores first (MSBuildWorkspace never restores, and an unrestored project has no
/// package references, so nothing would be found), then loads through MSBuildWorkspace, whose build host evaluates
/// the projects with the installed .NET SDK.
/// </summary>
internal static class ProjectLoader
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);

    public static string Resolve(FileSystemInfo target)
    {
        if (target is FileInfo { Exists: true } file)
        {
            return file.FullName;
        }

        if (target is not DirectoryInfo { Exists: true } directory)
        {
            throw new ProjectLoadException($"{target.FullName}: no such project, solution or folder");
        }

        var solutions = new[] { "*.sln", "*.slnx" }.SelectMany(p => directory.EnumerateFiles(p)).ToList();
        var candidates = solutions.Count > 0 ? solutions : directory.EnumerateFiles("*.csproj").ToList();
        return candidates.Count switch
        {
            1 => candidates[0].FullName,
            0 => throw new ProjectLoadException($"{directory.FullName}: no .sln, .slnx or .csproj here; name the project or solution"),
            _ => throw new ProjectLoadException(
                $"{directory.FullName}: several candidates ({string.Join(", ", candidates.Select(c => c.Name).Order(StringComparer.Ordinal))}); name one"),
        };
    }

    public static async Task RestoreAsync(string path, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RestoreTimeout);
        CommandResult result;
        try
        {
            result = await CliWrap.Cli.Wrap("dotnet")
                .WithArguments(["restore", path, "-nologo", "-v:q"])
                .WithWorkingDirectory(Path.GetDirectoryName(path)!)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .ExecuteAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProjectLoadException($"restoring {path} did not finish within {RestoreTimeout}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProjectLoadException($"could not run `dotnet restore` ({e.Message}); restore yourself and pass --no-restore");
        }

        if (result.ExitCode != 0)
        {
            throw new ProjectLoadException($"restoring {path} failed (exit {result.ExitCode}):\n{output.ToString().TrimEnd()}");
        }
    }

    /// <summary>Loads the solution or project; returns the C# projects to fix (for a project file: only its own).</summary>
    public static async Task<(Solution Solution, IReadOnlyList<ProjectId> Projects)> LoadAsync(
        MSBuildWorkspace workspace, string path, CancellationToken cancellationToken)
    {
        Solution solution;
        try
        {
            solution = IsSolution(path)
                ? await workspace.OpenSolutionAsync(path, cancellationToken: cancellationToken)
                : (await workspace.OpenProjectAsync(path, cancellationToken: cancellationToken)).Solution;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            throw new ProjectLoadException($"{path}: could not load: {e.Message}");
        }

        var failures = workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure).Select(d => d.Message).ToList();
        var projects = solution.Projects
            .Where(p => p.Language == LanguageNames.CSharp)
            .Where(p => IsSolution(path) || string.Equals(p.FilePath, path, StringComparison.Ordinal))
            .Select(p => p.Id)
            .ToList();
        if (projects.Count == 0)
        {
            var why = failures.Count > 0 ? ":\n  " + string.Join("\n  ", failures) : " (no C# project in it)";
            throw new ProjectLoadException($"{path}: nothing to fix could be loaded{why}");
        }

        return (solution, projects);
    }

    private static bool IsSolution(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".sln" or ".slnx" or ".slnf";
}
