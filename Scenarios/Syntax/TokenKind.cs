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
}
