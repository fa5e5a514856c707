namespace CowGuard.Scenarios.Syntax;

/// <summary>Reads an operation line, <c>[target =] verb arg ... name=value ...</c>, stopping where no argument can start.</summary>
internal static class CommandParser
{
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
