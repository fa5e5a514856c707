using CowGuard.Scenarios.Binding;
using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// Parses one file into a <see cref="DocumentSyntax"/>. A line starting with a header keyword (scenario, verdict,
/// over, include, group, backing, end) is a header; any other line is a statement. The grammar is in
/// docs/scenarios.md. A line that cannot be parsed is reported and skipped, so every faulty line of a file is reported.
/// </summary>
internal sealed class DocumentParser
{
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<VerdictRuleSyntax> _verdicts = [];
    private readonly List<NameReference> _over = [];
    private readonly List<IncludeSyntax> _includes = [];
    private readonly List<BackingSyntax> _backings = [];
    private readonly List<GroupSyntax> _groups = [];
    private readonly List<StatementSyntax> _body = [];
    private readonly HashSet<string> _faultyHeaders = new(StringComparer.Ordinal);
    private ScenarioHeaderSyntax? _header;
    private OpenBacking? _openBacking;

    private DocumentParser(string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    public static DocumentSyntax Parse(string file, string text, DiagnosticBag diagnostics)
    {
        diagnostics.FileRead(file);
        var parser = new DocumentParser(file, diagnostics);
        foreach (var line in Lexer.Tokenize(file, text, diagnostics))
        {
            if (line.Any(t => t.Kind == TokenKind.Error) || !diagnostics.Try(() => parser.ParseLine(new TokenCursor(line))))
            {
                parser.Recover(line);
            }
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
                _verdicts.Add(VerdictParser.Parse(cursor, first.Location));
                break;
            case "over":
                cursor.Next();
                TopLevelOnly(first);
                _over.AddRange(ParseNameList(cursor, "a backing or group name after 'over'"));
                break;
            case "include":
                cursor.Next();
                TopLevelOnly(first);
                var path = cursor.Expect(TokenKind.String, "a quoted file path after 'include'");
                cursor.ExpectEnd("the include path");
                _includes.Add(new IncludeSyntax(path.StringValue!, first.Location));
                break;
            case "group":
                cursor.Next();
                TopLevelOnly(first);
                ParseGroup(cursor, first);
                break;
            case "backing":
                cursor.Next();
                TopLevelOnly(first);
                _openBacking = ParseBackingHeader(cursor, first);
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
                if (isAssignment && !(cursor.Peek(2).Kind == TokenKind.Identifier && Operations.IsVerb(cursor.Peek(2).Text)))
                {
                    AddStatement(ParseLet(cursor));
                    break;
                }

                var command = CommandParser.Parse(cursor);
                cursor.ExpectEnd("the arguments of '" + command.Verb.Text + "'");
                AddStatement(command);
                break;
        }
    }

    /// <summary>
    /// After a faulty line: an assignment still defines its name (<see cref="FaultySyntax"/>); a header keyword is
    /// remembered (so the loader does not also complain that, say, the verdict is missing); and a faulty 'backing'
    /// header still opens a block (left out of the library), so its body and its 'end' are read as what they are.
    /// </summary>
    private void Recover(IReadOnlyList<Token> line)
    {
        if (line[0].Kind == TokenKind.Identifier && line[1].Kind == TokenKind.Equals)
        {
            (_openBacking?.Body ?? _body).Add(new FaultySyntax(line[0]));
            return;
        }

        if (line[0].Kind == TokenKind.Identifier)
        {
            _faultyHeaders.Add(line[0].Text);
        }

        if (_openBacking is null && line[0].Text == "backing")
        {
            _openBacking = new OpenBacking(line[1].Kind == TokenKind.Identifier ? line[1].Text : "?", string.Empty, null, [], line[0].Location) { IsFaulty = true };
        }
    }

    private static LetSyntax ParseLet(TokenCursor cursor)
    {
        var target = cursor.Next();
        cursor.Next();
        var value = ExpressionParser.Parse(cursor, $"a value or an operation after '{target.Text} ='");
        cursor.ExpectEnd($"the value of '{target.Text}'");
        return new LetSyntax(target, value);
    }

    private void ParseScenarioHeader(TokenCursor cursor, Token keyword)
    {
        TopLevelOnly(keyword);
        var name = cursor.Expect(TokenKind.String, "the scenario's name as a quoted string after 'scenario'");
        cursor.ExpectEnd("the scenario name");
        if (_header is not null)
        {
            throw new ScenarioSyntaxException(keyword.Location, $"a file holds one scenario; '{_header.Name}' was already declared at line {_header.Location.Line}");
        }

        _header = new ScenarioHeaderSyntax(name.StringValue!, keyword.Location);
    }

    private void ParseGroup(TokenCursor cursor, Token keyword)
    {
        var name = cursor.Expect(TokenKind.Identifier, "the group's name after 'group'");
        cursor.Expect(TokenKind.Equals, $"'=' after the group name '{name.Text}'");
        _groups.Add(new GroupSyntax(name.Text, ParseNameList(cursor, "a backing or group name"), keyword.Location));
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

    private static OpenBacking ParseBackingHeader(TokenCursor cursor, Token keyword)
    {
        var name = cursor.Expect(TokenKind.Identifier, "the backing's name after 'backing'");
        var display = cursor.Expect(TokenKind.String, $"the display name of backing '{name.Text}' as a quoted string, e.g. \"base page\"");
        Token? parameter = null;
        var values = new List<NumberSyntax>();
        if (cursor.Peek().Text == "for")
        {
            cursor.Next();
            parameter = cursor.Expect(TokenKind.Identifier, "a parameter name after 'for'");
            var inKeyword = cursor.Expect(TokenKind.Identifier, $"'in' after 'for {parameter.Text}'");
            if (inKeyword.Text != "in")
            {
                throw new ScenarioSyntaxException(inKeyword.Location, $"expected 'in' after 'for {parameter.Text}', found '{inKeyword.Text}'");
            }

            do
            {
                var value = cursor.Expect(TokenKind.Number, $"a size value for '{parameter.Text}'");
                values.Add(new NumberSyntax(value.Number, value.Text, value.Location));
            }
            while (cursor.TryTake(TokenKind.Comma, out _));
        }

        cursor.ExpectEnd($"the header of backing '{name.Text}'");
        return new OpenBacking(name.Text, display.StringValue!, parameter, values, keyword.Location);
    }

    private void CloseBacking(Token endKeyword)
    {
        if (_openBacking is null)
        {
            throw new ScenarioSyntaxException(endKeyword.Location, "'end' without an open 'backing' block");
        }

        if (!_openBacking.IsFaulty)
        {
            _backings.Add(new BackingSyntax(
                _openBacking.Name, _openBacking.DisplayName, _openBacking.Parameter, _openBacking.Values, _openBacking.Body, _openBacking.Location));
        }

        _openBacking = null;
    }

    private void TopLevelOnly(Token keyword)
    {
        if (_openBacking is not null)
        {
            throw new ScenarioSyntaxException(keyword.Location, $"'{keyword.Text}' cannot appear inside backing '{_openBacking.Name}': expected an operation or 'end'");
        }
    }

    private void AddStatement(StatementSyntax statement)
    {
        if (_openBacking is null)
        {
            _body.Add(statement);
            return;
        }

        if (statement is CommandSyntax { Verb.Text: "setup" })
        {
            throw new ScenarioSyntaxException(statement.Location, "'setup' cannot appear inside a backing (a backing is what 'setup' runs)");
        }

        _openBacking.Body.Add(statement);
    }

    private DocumentSyntax Finish()
    {
        if (_openBacking is not null)
        {
            _diagnostics.Report(_openBacking.Location, DiagnosticKind.Syntax, $"backing '{_openBacking.Name}' is not closed: expected 'end' before the end of the file");
        }

        return new DocumentSyntax(_file, _header, _verdicts, _over, _includes, _backings, _groups, _body) { FaultyHeaders = _faultyHeaders };
    }

    private sealed record OpenBacking(string Name, string DisplayName, Token? Parameter, List<NumberSyntax> Values, SourceLocation Location)
    {
        public List<StatementSyntax> Body { get; } = [];

        /// <summary>Its header line was faulty: the block is read to its 'end' but not defined.</summary>
        public bool IsFaulty { get; init; }
    }
}
