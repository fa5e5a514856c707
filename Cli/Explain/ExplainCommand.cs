using System.CommandLine;
using System.Text.RegularExpressions;
using CowGuard.Analyzers;
using Spectre.Console;

namespace CowGuard.Cli.Explain;

/// <summary>
/// <c>cowguard explain [ID]</c>: prints a rule's page (what it reports, why, how to fix, how to configure) from the
/// copy shipped inside the tool, rendered for the terminal; without an ID, lists the rules. The same page is the
/// rule's help link in editors and SARIF. An unknown ID is a usage error that names the known ones.
/// </summary>
internal static partial class ExplainCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string?>("ID") { Description = "A rule ID such as CG0001. Without it: the list of rules.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("explain", "Print a CowGuard rule's page (shipped with the tool): what it reports, why, and how to fix it.") { id };
        command.SetAction(parse => console.Guard(() =>
        {
            var requested = parse.GetValue(id);
            if (requested is null)
            {
                ListRules(console);
                return 0;
            }

            var rule = RulePages.Normalize(requested)
                ?? throw console.UsageError($"unknown rule '{requested}'; known rules: {string.Join(", ", RulePages.Ids)}");
            var styled = console.Out.Profile.Capabilities.Ansi;
            if (!styled)
            {
                // Redirected output (a file, a pager, a test) reads best at a page's width, not the wide default.
                console.Out.Profile.Width = Math.Min(console.Out.Profile.Width, 120);
            }

            var renderer = new MarkdownTerminalRenderer(styled, url => ResolveLink(rule, url));
            console.Out.Write(renderer.Render(RulePages.Read(rule)));
            console.Out.WriteLine();
            console.Out.WriteLine();
            console.Out.Write(new Markup(Markup.Escape($"Online: {RuleIdentifiers.GetHelpUri(rule)}")));
            console.Out.WriteLine();
            return 0;
        }));
        return command;
    }

    private static void ListRules(CliConsole console)
    {
        var table = new Table().AddColumns("Rule", "Title");
        foreach (var rule in RulePages.Ids)
        {
            table.AddRow(Markup.Escape(rule), Markup.Escape(RulePages.Title(rule)));
        }

        console.Out.Write(table);
        console.Out.WriteLine("cowguard explain ID prints a rule's page.");
    }

    /// <summary>
    /// Where a link on a rule page leads: another rule's page is one command away; the rules index is the list;
    /// anything else relative is a file of the published repository, next to the page's own help link.
    /// </summary>
    private static string ResolveLink(string rule, string url)
    {
        if (url.Length == 0 || url.StartsWith('#'))
        {
            return string.Empty;
        }

        var other = RulePage().Match(url);
        if (other.Success && RulePages.Normalize(other.Groups["id"].Value) is { } id)
        {
            return $"cowguard explain {id}";
        }

        if (url is "README.md" or "./README.md")
        {
            return "cowguard explain";
        }

        return Uri.TryCreate(new Uri(RuleIdentifiers.GetHelpUri(rule)), url, out var absolute) ? absolute.AbsoluteUri : url;
    }

    [GeneratedRegex(@"^(?:\./)?(?<id>CG\d{4})\.md(?:#.*)?$")]
    private static partial Regex RulePage();
}
