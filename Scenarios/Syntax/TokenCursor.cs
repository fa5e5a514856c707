using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>Reads one line's tokens left to right; every "expect" failure names what was wanted and what was found.</summary>
internal sealed class TokenCursor(IReadOnlyList<Token> tokens)
{
    private int _position;

    public Token Peek(int ahead = 0) => tokens[Math.Min(_position + ahead, tokens.Count - 1)];

    public bool AtEnd => Peek().Kind == TokenKind.EndOfLine;

    public Token Next()
    {
        var token = Peek();
        if (token.Kind != TokenKind.EndOfLine)
        {
            _position++;
        }

        return token;
    }

    public bool TryTake(TokenKind kind, out Token token)
    {
        token = Peek();
        if (token.Kind != kind)
        {
            return false;
        }

        Next();
        return true;
    }

    public Token Expect(TokenKind kind, string what)
    {
        var token = Peek();
        if (token.Kind != kind)
        {
            throw new ScenarioSyntaxException(token.Location, $"expected {what}, found {token.Describe()}");
        }

        return Next();
    }

    public void ExpectEnd(string afterWhat)
    {
        var token = Peek();
        if (token.Kind != TokenKind.EndOfLine)
        {
            throw new ScenarioSyntaxException(token.Location, $"expected end of line after {afterWhat}, found {token.Describe()}");
        }
    }
}
