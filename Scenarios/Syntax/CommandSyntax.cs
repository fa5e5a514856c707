using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// The shape every operation line has before the binder checks it against its verb:
/// <c>[target =] verb arg arg ... name=value ...</c>.
/// </summary>
internal sealed record CommandSyntax(Token? Target, Token Verb, IReadOnlyList<ArgumentSyntax> Arguments)
{
    /// <summary>The operation runs under <c>try</c>: its own value, if any, is dropped, so it needs no target.</summary>
    public bool DiscardsValue { get; init; }

    /// <summary>Reads a command from the cursor, stopping at the end of the line or at a token no argument can start with.</summary>
    public static CommandSyntax Parse(TokenCursor cursor)
    {
        Token? target = null;
        if (cursor.Peek().Kind == TokenKind.Identifier && cursor.Peek(1).Kind == TokenKind.Equals)
        {
            target = cursor.Next();
            cursor.Next();
        }

        var verb = cursor.Expect(TokenKind.Identifier, target is null ? "an operation or a header keyword" : $"an operation after '{target.Text} ='");
        var arguments = new List<ArgumentSyntax>();
        while (ExpressionParser.StartsExpression(cursor.Peek()))
        {
            if (cursor.Peek().Kind == TokenKind.Identifier && cursor.Peek(1).Kind == TokenKind.Equals)
            {
                var name = cursor.Next();
                cursor.Next();
                arguments.Add(new ArgumentSyntax(name, ExpressionParser.Parse(cursor, $"a value for option '{name.Text}'")));
            }
            else
            {
                arguments.Add(new ArgumentSyntax(null, ExpressionParser.Parse(cursor, "an argument")));
            }
        }

        return new CommandSyntax(target, verb, arguments);
    }
}

/// <summary>A positional argument (<see cref="Name"/> is null) or a <c>name=value</c> option.</summary>
internal sealed record ArgumentSyntax(Token? Name, Expr Value);
