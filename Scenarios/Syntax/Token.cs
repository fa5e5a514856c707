using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>One lexeme. Numbers carry their value (size suffixes already applied) and their original spelling.</summary>
internal sealed record Token(TokenKind Kind, string Text, SourceLocation Location, ulong Number = 0, string? StringValue = null)
{
    /// <summary>How an error message names this token: the text itself, or "end of line".</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfLine => "end of line",
        TokenKind.String => $"string {Text}",
        _ => $"'{Text}'",
    };
}
