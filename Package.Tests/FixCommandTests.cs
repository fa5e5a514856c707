using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// `cowguard fix` on a consumer of the packed package, run from the installed tool (issue 17): the unified diff applies
/// with `git apply`, the SARIF fixes reproduce it, editing in place gives the same text, the rebuilt project has no
/// CG0001, and the attribute fix never writes a justification.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class FixCommandTests(PackedPackage package)
{
    [SkippableFact]
    public void Diff_applies_with_git_apply_SARIF_fixes_reproduce_it_and_the_fixed_project_has_no_CG0001()
    {
        SkipWithoutGit();
        using var consumer = new ConsumerProject(package);
        var original = File.ReadAllText(consumer.PathOf("Program.cs"));
        var expected = consumer.ExpectedDiagnostics("Program.cs").Where(d => d.Id == "CG0001").Select(d => d.Line).Order().ToList();
        Assert.NotEmpty(expected);
        var sarifPath = consumer.PathOf("fixes.sarif");

        var review = package.Tool.Run(consumer.ProjectDirectory, "fix", "--diff", "--sarif", sarifPath);

        Assert.True(review.ExitCode == 0, review.ToString());
        Assert.Equal(original, File.ReadAllText(consumer.PathOf("Program.cs"))); // review mode edits nothing
        var diff = review.StandardOutput;
        var patched = GitApply(original, diff);
        Assert.Contains("FollFlags.BreakCow", patched, StringComparison.Ordinal);

        var results = SarifFixes.Read(sarifPath, uri => File.ReadAllText(consumer.PathOf(uri)));
        Assert.Equal(expected, results.Where(r => r.RuleId == "CG0001").Select(r => r.Line).Order());
        Assert.All(results, r => Assert.NotEmpty(r.Replacements));
        Assert.Equal(patched, SarifFixes.Apply(original, results.SelectMany(r => r.Replacements)));

        var edit = package.Tool.Run(consumer.ProjectDirectory, "fix", "--no-restore");
        Assert.True(edit.ExitCode == 0, edit.ToString());
        Assert.Equal(patched, File.ReadAllText(consumer.PathOf("Program.cs")));

        var rebuild = consumer.Build();
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.DoesNotContain(BuildDiagnostic.ParseAll(rebuild.Output), d => d.Id == "CG0001");
        var again = package.Tool.Run(consumer.ProjectDirectory, "fix", "--no-restore", "--diff");
        Assert.True(again.ExitCode == 0 && again.StandardOutput.Length == 0, again.ToString());
    }

    [SkippableFact]
    public void A_CRLF_file_stays_CRLF_through_the_diff()
    {
        SkipWithoutGit();
        using var consumer = new ConsumerProject(package);
        var program = consumer.PathOf("Program.cs");
        var original = File.ReadAllText(program).ReplaceLineEndings("\r\n");
        File.WriteAllText(program, original);

        var review = package.Tool.Run(consumer.ProjectDirectory, "fix", "--diff");

        Assert.True(review.ExitCode == 0, review.ToString());
        var patched = GitApply(original, review.StandardOutput);
        Assert.Contains("FollFlags.BreakCow", patched, StringComparison.Ordinal);
        Assert.Equal(patched.Split('\n').Length - 1, patched.Split("\r\n").Length - 1);
    }

    [Fact]
    public void Justify_adds_the_failing_placeholder_and_never_a_justification()
    {
        using var consumer = new ConsumerProject(package);

        var fix = package.Tool.Run(consumer.ProjectDirectory, "fix", "--fix", "justify");

        Assert.True(fix.ExitCode == 0, fix.ToString());
        var text = File.ReadAllText(consumer.PathOf("Program.cs"));
        Assert.Contains("[WrongSideCowOk(\"<Pending>\")]", text, StringComparison.Ordinal);
        // A call in top-level statements has no declaration to carry the attribute: reported, not silently skipped.
        Assert.Contains("not fixed: Program.cs(", fix.Output, StringComparison.Ordinal);
        Assert.Contains("fails CG0002 until you replace the placeholder", fix.Output, StringComparison.Ordinal);
        var rebuild = consumer.Build();
        Assert.Contains(BuildDiagnostic.ParseAll(rebuild.Output), d => d.Id == "CG0002");
    }

    [Fact]
    public void A_missing_project_or_an_unknown_fix_is_an_error_not_a_crash()
    {
        using var folder = new TemporaryDirectory("cowguard-fix-errors");

        var missing = package.Tool.Run(folder.Path, "fix", Path.Combine(folder.Path, "Nope.csproj"));
        var empty = package.Tool.Run(folder.Path, "fix");
        var unknown = package.Tool.Run(folder.Path, "fix", "--fix", "silence");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such project", missing.Output, StringComparison.Ordinal);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no .sln, .slnx or .csproj here", empty.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("breakcow", unknown.Output, StringComparison.Ordinal);
        Assert.All(new[] { missing, empty, unknown }, r => Assert.DoesNotContain("   at ", r.Output, StringComparison.Ordinal));
    }

    private static void SkipWithoutGit()
    {
        var git = ProcessRunner.TryRun("git", Path.GetTempPath(), "--version");
        Skip.If(git is null || git.ExitCode != 0, "git is not installed here: `git apply` is what this test checks the diff with");
    }

    /// <summary>Applies the diff with `git apply` (outside any repository, as a reviewer's bot would) to a copy of the file.</summary>
    private static string GitApply(string original, string diff)
    {
        using var folder = new TemporaryDirectory("cowguard-git-apply");
        File.WriteAllText(Path.Combine(folder.Path, "Program.cs"), original);
        var patch = Path.Combine(folder.Path, "fix.patch");
        File.WriteAllText(patch, diff);
        var check = ProcessRunner.Run("git", folder.Path, TimeSpan.FromMinutes(1), "apply", "--check", "-v", patch);
        Assert.True(check.ExitCode == 0, $"{check}\n--- the diff:\n{diff}");
        var apply = ProcessRunner.Run("git", folder.Path, TimeSpan.FromMinutes(1), "apply", patch);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        return File.ReadAllText(Path.Combine(folder.Path, "Program.cs"));
    }
}
