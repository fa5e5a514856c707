using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Binding;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// Parses one file into a <see cref="ScenarioDocument"/>. A line starting with a header keyword (scenario, verdict,
/// over, include, group, backing, end) is a header; any other line is an operation. The grammar is in docs/scenarios.md.
/// </summary>
internal sealed class DocumentParser
{
    private readonly string file;
    private readonly List<VerdictRule> verdicts = [];
    private readonly List<NameReference> over = [];
    private readonly List<IncludeDirective> includes = [];
    private readonly List<BackingDefinition> backings = [];
    private readonly List<GroupDefinition> groups = [];
    private readonly List<Statement> body = [];
    private ScenarioHeader? header;
    private OpenBacking? openBacking;

    private DocumentParser(string file) => this.file = file;

    public static ScenarioDocument Parse(string file, string text)
    {
        var parser = new DocumentParser(file);
        foreach (var line in Lexer.Tokenize(file, text))
        {
            parser.ParseLine(new TokenCursor(line));
        }

        return parser.Finish();
    }

    private void ParseLine(TokenCursor cursor)
    {
        var first = cursor.Peek();
        var isAssignment = cursor.Peek(1).Kind == TokenKind.Equals;
        switch (isAssignment ? null : first.Text)
        {
            case "scenario":
                cursor.Next();
                ParseScenarioHeader(cursor, first);
                break;
            case "verdict":
                cursor.Next();
                TopLevelOnly(first);
                verdicts.Add(VerdictParser.Parse(cursor, first.Location));
                break;
            case "over":
                cursor.Next();
                TopLevelOnly(first);
                over.AddRange(ParseNameList(cursor, "a backing or group name after 'over'"));
                break;
            case "include":
                cursor.Next();
                TopLevelOnly(first);
                var path = cursor.Expect(TokenKind.String, "a quoted file path after 'include'");
                cursor.ExpectEnd("the include path");
                includes.Add(new IncludeDirective(path.StringValue!, first.Location));
                break;
            case "group":
                cursor.Next();
                TopLevelOnly(first);
                ParseGroup(cursor, first);
                break;
            case "backing":
                cursor.Next();
                TopLevelOnly(first);
                openBacking = ParseBackingHeader(cursor, first);
                break;
            case "end":
                cursor.Next();
                cursor.ExpectEnd("'end'");
                CloseBacking(first);
                break;
            case "expect":
                cursor.Next();
                AddStatement(ExpectParser.Parse(cursor, first));
                break;
            default:
                if (isAssignment && !(cursor.Peek(2).Kind == TokenKind.Identifier && Binder.IsVerb(cursor.Peek(2).Text)))
                {
                    AddStatement(ParseLet(cursor));
                    break;
                }

                var command = CommandSyntax.Parse(cursor);
                cursor.ExpectEnd("the arguments of '" + command.Verb.Text + "'");
                AddStatement(Binder.Bind(command));
                break;
        }
    }

    private static LetStatement ParseLet(TokenCursor cursor)
    {
        var target = cursor.Next();
        cursor.Next();
        var value = ExpressionParser.Parse(cursor, $"a value or an operation after '{target.Text} ='");
        cursor.ExpectEnd($"the value of '{target.Text}'");
        return new LetStatement(value, target.Location) { Target = target.Text, Verb = "=" };
    }

    private void ParseScenarioHeader(TokenCursor cursor, Token keyword)
    {
        TopLevelOnly(keyword);
        var name = cursor.Expect(TokenKind.String, "the scenario's name as a quoted string after 'scenario'");
        cursor.ExpectEnd("the scenario name");
        if (header is not null)
        {
            throw new ScenarioSyntaxException(keyword.Location, $"a file holds one scenario; '{header.Name}' was already declared at line {header.Location.Line}");
        }

        header = new ScenarioHeader(name.StringValue!, keyword.Location);
    }

    private void ParseGroup(TokenCursor cursor, Token keyword)
    {
        var name = cursor.Expect(TokenKind.Identifier, "the group's name after 'group'");
        cursor.Expect(TokenKind.Equals, $"'=' after the group name '{name.Text}'");
        groups.Add(new GroupDefinition(name.Text, ParseNameList(cursor, "a backing or group name"), keyword.Location));
    }

    private static List<NameReference> ParseNameList(TokenCursor cursor, string what)
    {
        var names = new List<NameReference>();
        do
        {
            var name = cursor.Expect(TokenKind.Identifier, what);
            names.Add(new NameReference(name.Text, name.Location));
        }
        while (cursor.TryTake(TokenKind.Comma, out _));

        cursor.ExpectEnd("the list of names (separate names with ',')");
        return names;
    }

    private OpenBacking ParseBackingHeader(TokenCursor cursor, Token keyword)
    {
        var name = cursor.Expect(TokenKind.Identifier, "the backing's name after 'backing'");
        var display = cursor.Expect(TokenKind.String, $"the display name of backing '{name.Text}' as a quoted string, e.g. \"base page\"");
        string? parameter = null;
        var values = new List<NumberExpr>();
        if (cursor.Peek().Text == "for")
        {
            cursor.Next();
            parameter = cursor.Expect(TokenKind.Identifier, "a parameter name after 'for'").Text;
            var inKeyword = cursor.Expect(TokenKind.Identifier, $"'in' after 'for {parameter}'");
            if (inKeyword.Text != "in")
            {
                throw new ScenarioSyntaxException(inKeyword.Location, $"expected 'in' after 'for {parameter}', found '{inKeyword.Text}'");
            }

            do
            {
                var value = cursor.Expect(TokenKind.Number, $"a size value for '{parameter}'");
                values.Add(new NumberExpr(value.Number, value.Text, value.Location));
            }
            while (cursor.TryTake(TokenKind.Comma, out _));
        }

        cursor.ExpectEnd($"the header of backing '{name.Text}'");
        return new OpenBacking(name.Text, display.StringValue!, parameter, values, keyword.Location);
    }

    private void CloseBacking(Token endKeyword)
    {
        if (openBacking is null)
        {
            throw new ScenarioSyntaxException(endKeyword.Location, "'end' without an open 'backing' block");
        }

        backings.Add(new BackingDefinition(
            openBacking.Name, openBacking.DisplayName, openBacking.Parameter, openBacking.Values, openBacking.Body, openBacking.Location));
        openBacking = null;
    }

    private void TopLevelOnly(Token keyword)
    {
        if (openBacking is not null)
        {
            throw new ScenarioSyntaxException(keyword.Location, $"'{keyword.Text}' cannot appear inside backing '{openBacking.Name}': expected an operation or 'end'");
        }
    }

    private void AddStatement(Statement statement)
    {
        if (openBacking is not null)
        {
            if (statement is SetupStatement)
            {
                throw new ScenarioSyntaxException(statement.Location, "'setup' cannot appear inside a backing (a backing is what 'setup' runs)");
            }

            openBacking.Body.Add(statement);
        }
        else
        {
            body.Add(statement);
        }
    }

    private ScenarioDocument Finish()
    {
        if (openBacking is not null)
        {
            throw new ScenarioSyntaxException(openBacking.Location, $"backing '{openBacking.Name}' is not closed: expected 'end' before the end of the file");
        }

        return new ScenarioDocument(file, header, verdicts, over, includes, backings, groups, body);
    }

    private sealed record OpenBacking(string Name, string DisplayName, string? Parameter, List<NumberExpr> Values, SourceLocation Location)
    {
        public List<Statement> Body { get; } = [];
    }
}
