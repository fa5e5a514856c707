using System.IO.Compression;
using CowGuard.Package.Tests.Infrastructure;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// `dotnet tool install CowGuard.Tool` (issue 17): the tool package comes out of the same pack step into the same
/// feed, installs from it into a temporary tool path, and its commands work outside the source tree.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class ToolTests(PackedPackage package)
{
    [Fact]
    public void Tool_package_is_a_dotnet_tool_named_cowguard_carrying_the_catalogue_and_the_build_host()
    {
        using var zip = ZipFile.OpenRead(package.ToolPackagePath);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
        var settings = Assert.Single(entries, e => e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using (var stream = zip.GetEntry(settings)!.Open())
        {
            var command = System.Xml.Linq.XDocument.Load(stream).Descendants("Command").Single();
            Assert.Equal("cowguard", command.Attribute("Name")?.Value);
        }

        Assert.Contains(entries, e => e.Contains("/Catalogue/", StringComparison.Ordinal) && e.EndsWith(".cow", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("/BuildHost-netcore/", StringComparison.Ordinal));
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void Installed_tool_lists_the_built_in_catalogue()
    {
        using var folder = new TemporaryDirectory("cowguard-tool-list");

        var list = package.Tool.Run(folder.Path, "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("vmsplice", list.Output, StringComparison.Ordinal);
        Assert.Contains(".cow", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_tool_runs_a_scenario_file_of_the_user()
    {
        using var folder = new TemporaryDirectory("cowguard-tool-run");
        var scenario = Path.Combine(folder.Path, "my-vmsplice.cow");
        File.WriteAllText(scenario, """
            # CVE-2020-29374: the child keeps a pipe reference to the page, unmaps it, and must not read the parent's later data.
            scenario "my vmsplice() + unmap in child"
            verdict M=FAIL F=pass R=pass X=pass

            parent = process "parent"
            mem = mmap parent 4K
            fill parent mem 4K 1
            child = fork parent
            old = read child mem 4K
            pipe = vmsplice child mem 4K
            munmap child mem 4K
            fill parent mem 4K 0xff
            expect "No leak from parent into child": pipe_read pipe == old
            """);

        var run = package.Tool.Run(folder.Path, "run", scenario, "--era", "all");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("my vmsplice() + unmap in child", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL No leak from parent into child", run.Output, StringComparison.Ordinal);
        Assert.Contains("PASS No leak from parent into child", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_tool_audits_a_consumer_and_writes_its_fixes_as_a_diff()
    {
        using var consumer = new ConsumerProject(package);

        var audit = package.Tool.Run(consumer.ProjectDirectory, "audit", consumer.ProjectFile);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("| Where | Scope | Covers | Justification |", audit.Output, StringComparison.Ordinal);
        Assert.Contains("Only hashes the page", audit.Output, StringComparison.Ordinal);

        var before = File.ReadAllText(consumer.PathOf("Program.cs"));
        var fix = package.Tool.Run(consumer.ProjectDirectory, "fix", "--diff");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        Assert.Contains("+++ b/Program.cs", fix.Output, StringComparison.Ordinal);
        Assert.Contains("FollFlags.BreakCow", fix.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(consumer.PathOf("Program.cs")));
    }

    [Fact]
    public void Installed_tool_explains_a_rule_from_the_page_it_ships()
    {
        using var folder = new TemporaryDirectory("cowguard-tool-explain");

        var explain = package.Tool.Run(folder.Path, "explain", "CG0001");
        var unknown = package.Tool.Run(folder.Path, "explain", "CG9999");

        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Contains("Page reference does not break COW", explain.Output, StringComparison.Ordinal);
        Assert.Contains("cowguard explain CG0004", explain.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown rule 'CG9999'", unknown.Output, StringComparison.Ordinal);
        Assert.Contains("CG0001", unknown.Output, StringComparison.Ordinal);
    }
}
