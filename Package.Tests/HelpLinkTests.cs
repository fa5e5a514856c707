using System.Runtime.Loader;
using CowGuard.Cli;
using CowGuard.Package.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CowGuard.Package.Tests;

/// <summary>
/// Help that leads somewhere (issue 17): every rule's help link is built from the build's one repository URL and
/// names a rule page that exists; overriding the property moves every link; `cowguard explain` prints every page.
/// </summary>
public sealed class HelpLinkTests
{
    private static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors = RuleDescriptors.All;

    [Fact]
    public void Every_help_link_is_built_from_the_repository_url_and_names_an_existing_rule_page()
    {
        Assert.NotEmpty(Descriptors);
        foreach (var descriptor in Descriptors)
        {
            Assert.Equal(
                $"{RepositoryLayout.RepositoryUrl.TrimEnd('/')}/blob/{RepositoryLayout.DocsRevision}/docs/rules/{descriptor.Id}.md",
                descriptor.HelpLinkUri);
            var page = RepositoryLayout.RulePage(descriptor.Id);
            Assert.True(File.Exists(page), $"{descriptor.Id}: its help link names {page}, which does not exist");
            Assert.StartsWith($"# {descriptor.Id}", File.ReadLines(page).First(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Explain_prints_every_rule_page_shipped_in_the_tool()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, "docs", "rules"), "CG*.md")
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Superset(pages.ToHashSet(), Descriptors.Select(d => d.Id).ToHashSet());

        foreach (var id in pages)
        {
            var (exitCode, output, error) = Cowguard("explain", id.ToLowerInvariant());

            Assert.True(exitCode == 0, error);
            var title = File.ReadLines(RepositoryLayout.RulePage(id)).First().TrimStart('#', ' ');
            Assert.Contains(title, output, StringComparison.Ordinal);
            Assert.Contains($"Online: {RepositoryLayout.RepositoryUrl}", output, StringComparison.Ordinal);
            Assert.DoesNotContain("](", output, StringComparison.Ordinal); // links are rendered, not left as Markdown
        }
    }

    [Fact]
    public void Explain_without_an_id_lists_the_rules_and_an_unknown_id_names_the_known_ones()
    {
        var list = Cowguard("explain");
        var unknown = Cowguard("explain", "CG0042");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("CG0001", list.Output, StringComparison.Ordinal);
        Assert.Contains("Page reference does not break COW", list.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown rule 'CG0042'", unknown.Error, StringComparison.Ordinal);
        Assert.All(Descriptors, d => Assert.Contains(d.Id, unknown.Error, StringComparison.Ordinal));
    }

    /// <summary>
    /// A fork sets the property once on the command line; every help link then points at the fork. Builds the
    /// analyzers with the override into a private folder and reads their descriptors back.
    /// </summary>
    [Fact]
    public void Overriding_the_repository_url_moves_every_help_link()
    {
        const string Fork = "https://example.org/someone/cowguard-fork";
        using var folder = new TemporaryDirectory("cowguard-fork-build");
        var build = ProcessRunner.Dotnet(
            RepositoryLayout.Root,
            "build", Path.Combine(RepositoryLayout.Root, "Analyzers", "CowGuard.Analyzers.csproj"),
            "--artifacts-path", folder.Path,
            $"-p:CowGuardRepositoryUrl={Fork}/", "-p:CowGuardDocsRevision=v9");
        Assert.True(build.ExitCode == 0, build.ToString());
        var dll = Directory.EnumerateFiles(folder.Path, "CowGuard.Analyzers.dll", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var context = new AssemblyLoadContext("fork", isCollectible: true);
        try
        {
            var descriptors = RuleDescriptors.Of(context.LoadFromAssemblyPath(dll));
            Assert.Equal(Descriptors.Select(d => d.Id), descriptors.Select(d => d.Id));
            Assert.All(descriptors, d => Assert.Equal($"{Fork}/blob/v9/docs/rules/{d.Id}.md", d.HelpLinkUri));
        }
        finally
        {
            context.Unload();
        }
    }

    private static (int ExitCode, string Output, string Error) Cowguard(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CowGuardCli.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
