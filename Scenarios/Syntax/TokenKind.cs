namespace CowGuard.Scenarios.Syntax;

internal enum TokenKind
{
    Identifier,
    Number,
    String,
    Equals,
    EqualsEquals,
    NotEquals,
    Colon,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Pipe,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    EndOfLine,

    /// <summary>Where a line stopped making sense to the lexer (already reported); nothing after it was read.</summary>
    Error,
}
