using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>`dotnet format analyzers` as a review gate: it fails while a fix is pending and applies it otherwise (issue 5).</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class DotnetFormatTests(PackedPackage package)
{
    [Fact]
    public void Verify_no_changes_fails_while_a_fix_is_pending_and_passes_once_applied()
    {
        using var consumer = new ConsumerProject(package);
        var restore = ProcessRunner.Dotnet(consumer.ProjectDirectory, "restore", consumer.ProjectFile);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var before = File.ReadAllText(consumer.PathOf("Program.cs"));

        var verify = consumer.Format("--diagnostics", "CG0001", "--severity", "warn", "--verify-no-changes");
        Assert.NotEqual(0, verify.ExitCode);
        Assert.Equal(before, File.ReadAllText(consumer.PathOf("Program.cs")));

        var apply = consumer.Format("--diagnostics", "CG0001", "--severity", "warn");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var verifyAgain = consumer.Format("--diagnostics", "CG0001", "--severity", "warn", "--verify-no-changes");
        Assert.True(verifyAgain.ExitCode == 0, verifyAgain.ToString());
    }
}
