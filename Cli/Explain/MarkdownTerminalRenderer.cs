using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Spectre.Console;
using Spectre.Console.Rendering;
using MarkdownTable = Markdig.Extensions.Tables.Table;
using MarkdownTableCell = Markdig.Extensions.Tables.TableCell;
using MarkdownTableRow = Markdig.Extensions.Tables.TableRow;

namespace CowGuard.Cli.Explain;

/// <summary>
/// Renders a rule page's Markdown for a terminal: headings stand out (underlined when the output has no styles),
/// paragraphs wrap to the width, lists get hanging indents, tables become tables, code is set off. Links keep their
/// text and show where they lead: another rule as the <c>cowguard explain</c> command for it, a repository file as
/// its address in the published repository (resolved by <paramref name="resolveLink"/>).
/// </summary>
internal sealed class MarkdownTerminalRenderer(bool styled, Func<string, string> resolveLink)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public IRenderable Render(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        return Blocks(document);
    }

    private Rows Blocks(ContainerBlock container)
    {
        var items = new List<IRenderable>();
        foreach (var block in container)
        {
            if (items.Count > 0)
            {
                items.Add(new Text(string.Empty));
            }

            items.Add(Block(block));
        }

        return new Rows(items);
    }

    private IRenderable Block(Block block) => block switch
    {
        HeadingBlock heading => Heading(heading),
        ParagraphBlock paragraph => new Markup(Inlines(paragraph.Inline)),
        ListBlock list => List(list),
        MarkdownTable table => TableOf(table),
        FencedCodeBlock or CodeBlock => Code(((LeafBlock)block).Lines.ToString()),
        QuoteBlock quote => new Padder(Blocks(quote), new Padding(2, 0, 0, 0)),
        ThematicBreakBlock => new Rule { Style = Style.Plain },
        HtmlBlock html => new Text(html.Lines.ToString()),
        ContainerBlock other => Blocks(other),
        LeafBlock leaf => new Text(leaf.Lines.ToString()),
        _ => new Text(string.Empty),
    };

    private IRenderable Heading(HeadingBlock heading)
    {
        var text = Inlines(heading.Inline);
        if (styled)
        {
            return new Markup(heading.Level == 1 ? $"[bold underline]{text}[/]" : $"[bold]{text}[/]");
        }

        // Without styles the heading is underlined the way plain-text documents do it.
        var plain = Markup.Remove(text);
        return new Markup($"{text}\n{new string(heading.Level == 1 ? '=' : '-', plain.Length)}");
    }

    private Grid List(ListBlock list)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(1)).AddColumn();
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}." : "•";
            grid.AddRow(new Text(marker), Blocks(item));
        }

        return grid;
    }

    private Spectre.Console.Table TableOf(MarkdownTable source)
    {
        var rows = source.OfType<MarkdownTableRow>().ToList();
        var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
        var header = rows.FirstOrDefault(r => r.IsHeader) ?? rows.First();
        foreach (var cell in header.OfType<MarkdownTableCell>())
        {
            table.AddColumn(new TableColumn(new Markup(styled ? $"[bold]{CellText(cell)}[/]" : CellText(cell))));
        }

        foreach (var row in rows.Where(r => r != header))
        {
            var cells = row.OfType<MarkdownTableCell>().Select(c => (IRenderable)new Markup(CellText(c))).ToList();
            while (cells.Count < table.Columns.Count)
            {
                cells.Add(new Text(string.Empty));
            }

            table.AddRow(cells.Take(table.Columns.Count));
        }

        return table;
    }

    private string CellText(MarkdownTableCell cell) =>
        string.Join(" ", cell.OfType<ParagraphBlock>().Select(p => Inlines(p.Inline)));

    private IRenderable Code(string code)
    {
        var text = new Text(code.TrimEnd('\n', '\r'), styled ? new Style(Color.Aqua) : Style.Plain);
        return new Padder(text, new Padding(4, 0, 0, 0));
    }

    /// <summary>Inline content as Spectre markup (all text escaped).</summary>
    private string Inlines(ContainerInline? container)
    {
        var markup = new StringBuilder();
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            markup.Append(Inline(inline));
        }

        return markup.ToString();
    }

    private string Inline(Inline inline) => inline switch
    {
        LiteralInline literal => Markup.Escape(literal.Content.ToString()),
        HtmlEntityInline entity => Markup.Escape(entity.Transcoded.ToString()),
        CodeInline code => styled ? $"[aqua]{Markup.Escape(code.Content)}[/]" : Markup.Escape($"`{code.Content}`"),
        EmphasisInline emphasis => Emphasis(emphasis),
        LinkInline link => Link(Inlines(link), link.Url ?? string.Empty),
        AutolinkInline autolink => Markup.Escape(autolink.Url),
        LineBreakInline lineBreak => lineBreak.IsHard ? "\n" : " ",
        HtmlInline html => Markup.Escape(html.Tag),
        ContainerInline other => Inlines(other),
        _ => string.Empty,
    };

    private string Emphasis(EmphasisInline emphasis)
    {
        var content = Inlines(emphasis);
        if (!styled)
        {
            return content;
        }

        return emphasis.DelimiterCount >= 2 ? $"[bold]{content}[/]" : $"[italic]{content}[/]";
    }

    private string Link(string text, string url)
    {
        var target = resolveLink(url);
        var plainText = Markup.Remove(text);
        if (target.Length == 0 || string.Equals(plainText, target, StringComparison.Ordinal))
        {
            return text;
        }

        var where = Markup.Escape($"({target})");
        return styled ? $"{text} [dim]{where}[/]" : $"{text} {where}";
    }
}
