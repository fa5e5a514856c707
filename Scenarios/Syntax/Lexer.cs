using System.Globalization;
using System.Text;
using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// Splits scenario text into lines of tokens. The language is line-based: a statement never spans lines, '#' starts
/// a comment, blank lines are ignored. Numbers accept binary size suffixes (4K = 4096, 2M, 1G) and 0x hex.
/// A line with a lexical fault is reported to <see cref="DiagnosticBag"/> and left out, so the lines after it are
/// still read and their faults reported too.
/// </summary>
internal static class Lexer
{
    public static IReadOnlyList<IReadOnlyList<Token>> Tokenize(string file, string text, DiagnosticBag diagnostics)
    {
        var lines = new List<IReadOnlyList<Token>>();
        var rawLines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var tokens = new List<Token>();
            try
            {
                TokenizeLine(file, i + 1, rawLines[i], tokens);
            }
            catch (ScenarioSyntaxException e)
            {
                // The line is reported here; the parser sees what came before the fault and an Error token, so it
                // can still tell what the line would have defined (and not report every later use as unknown).
                diagnostics.Add(e.Diagnostics[0]);
                tokens.Add(new Token(TokenKind.Error, string.Empty, e.Location));
            }

            if (tokens.Count > 1)
            {
                lines.Add(tokens);
            }
        }

        return lines;
    }

    private static void TokenizeLine(string file, int lineNumber, string line, List<Token> tokens)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            var location = new SourceLocation(file, lineNumber, i + 1);
            if (c == '#')
            {
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, line[start..i], location));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(line, ref i, location));
                continue;
            }

            if (c == '"')
            {
                tokens.Add(ReadString(line, ref i, location));
                continue;
            }

            tokens.Add(ReadPunctuation(line, ref i, location));
        }

        tokens.Add(new Token(TokenKind.EndOfLine, string.Empty, new SourceLocation(file, lineNumber, line.Length + 1)));
    }

    private static Token ReadNumber(string line, ref int i, SourceLocation location)
    {
        var start = i;
        ulong value;
        if (line[i] == '0' && i + 1 < line.Length && (line[i + 1] == 'x' || line[i + 1] == 'X'))
        {
            i += 2;
            var digitsStart = i;
            while (i < line.Length && char.IsAsciiHexDigit(line[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                throw new ScenarioSyntaxException(location, "expected hexadecimal digits after '0x'");
            }

            if (!ulong.TryParse(line.AsSpan(digitsStart, i - digitsStart), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
            {
                throw new ScenarioSyntaxException(location, $"number '{line[start..i]}' does not fit in 64 bits");
            }
        }
        else
        {
            while (i < line.Length && char.IsAsciiDigit(line[i]))
            {
                i++;
            }

            if (!ulong.TryParse(line.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
                throw new ScenarioSyntaxException(location, $"number '{line[start..i]}' does not fit in 64 bits");
            }

            if (i < line.Length && SizeSuffixShift(line[i]) is int shift)
            {
                i++;
                var scaled = value << shift;
                if (scaled >> shift != value)
                {
                    throw new ScenarioSyntaxException(location, $"size '{line[start..i]}' does not fit in 64 bits");
                }

                value = scaled;
            }
        }

        if (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
        {
            throw new ScenarioSyntaxException(
                location with { Column = i + 1 },
                $"expected a size suffix K, M or G or the end of the number '{line[start..i]}', found '{line[i]}'");
        }

        return new Token(TokenKind.Number, line[start..i], location, value);
    }

    private static int? SizeSuffixShift(char c) => c switch
    {
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => null,
    };

    private static Token ReadString(string line, ref int i, SourceLocation location)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < line.Length && line[i] != '"')
        {
            if (line[i] == '\\')
            {
                if (i + 1 >= line.Length || (line[i + 1] != '"' && line[i + 1] != '\\'))
                {
                    throw new ScenarioSyntaxException(location with { Column = i + 1 }, "expected '\\\"' or '\\\\' after a backslash in a string");
                }

                i++;
            }

            value.Append(line[i]);
            i++;
        }

        if (i >= line.Length)
        {
            throw new ScenarioSyntaxException(location, "unterminated string: expected a closing '\"' before the end of the line");
        }

        i++;
        return new Token(TokenKind.String, line[start..i], location, StringValue: value.ToString());
    }

    private static Token ReadPunctuation(string line, ref int i, SourceLocation location)
    {
        var c = line[i];
        var next = i + 1 < line.Length ? line[i + 1] : '\0';
        (TokenKind kind, int length) = (c, next) switch
        {
            ('=', '=') => (TokenKind.EqualsEquals, 2),
            ('!', '=') => (TokenKind.NotEquals, 2),
            ('=', _) => (TokenKind.Equals, 1),
            (':', _) => (TokenKind.Colon, 1),
            (',', _) => (TokenKind.Comma, 1),
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('|', _) => (TokenKind.Pipe, 1),
            ('(', _) => (TokenKind.OpenParen, 1),
            (')', _) => (TokenKind.CloseParen, 1),
            ('[', _) => (TokenKind.OpenBracket, 1),
            (']', _) => (TokenKind.CloseBracket, 1),
            _ => throw new ScenarioSyntaxException(location, $"unexpected character '{c}'"),
        };
        i += length;
        return new Token(kind, line.Substring(i - length, length), location);
    }
}
