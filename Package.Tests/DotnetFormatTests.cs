using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// `dotnet format analyzers` with the packaged code fix: as a review gate it fails while a fix is pending; without
/// --verify-no-changes it applies the add-BreakCow fix and the rebuild is clean (issues 2 and 5).
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class DotnetFormatTests(PackedPackage package)
{
    [Fact]
    public void Verify_fails_while_a_fix_is_pending_then_format_adds_BreakCow_and_the_rebuild_is_clean()
    {
        using var consumer = new ConsumerProject(package);
        var restore = ProcessRunner.Dotnet(consumer.ProjectDirectory, "restore", consumer.ProjectFile);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var program = consumer.PathOf("Program.cs");
        var before = File.ReadAllText(program);

        var verify = consumer.Format("--diagnostics", "CG0001", "--severity", "warn", "--verify-no-changes");
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Equal(before, File.ReadAllText(program));

        var apply = consumer.Format("--diagnostics", "CG0001", "--severity", "warn");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var after = File.ReadAllText(program);
        Assert.True(
            CountOf(after, "FollFlags.BreakCow") > CountOf(before, "FollFlags.BreakCow"),
            $"expected the fix to add FollFlags.BreakCow:\n{after}");

        var verifyAgain = consumer.Format("--diagnostics", "CG0001", "--severity", "warn", "--verify-no-changes");
        Assert.True(verifyAgain.ExitCode == 0, verifyAgain.ToString());
        var rebuild = consumer.Build();
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.DoesNotContain(BuildDiagnostic.ParseAll(rebuild.Output), d => d.Id == "CG0001");
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
