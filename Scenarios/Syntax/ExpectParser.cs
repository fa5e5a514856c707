using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// <c>expect "label": LEFT (== | !=) RIGHT</c>. A side that starts with a name followed by another argument is a
/// query call (<c>read child mem size</c>); otherwise it is a value (<c>old</c>, <c>0xff</c>, <c>size / 2</c>).
/// </summary>
internal static class ExpectParser
{
    public static ExpectSyntax Parse(TokenCursor cursor, Token keyword)
    {
        var label = cursor.Expect(TokenKind.String, "the check's label as a quoted string after 'expect'");
        cursor.Expect(TokenKind.Colon, "':' after the label of the check");
        var left = ParseOperand(cursor, "the observed value or query");
        var op = cursor.Peek();
        var comparison = op.Kind switch
        {
            TokenKind.EqualsEquals => Comparison.Equal,
            TokenKind.NotEquals => Comparison.NotEqual,
            _ => throw new ScenarioSyntaxException(op.Location, $"expected '==' or '!=' in the check, found {op.Describe()}"),
        };
        cursor.Next();
        var right = ParseOperand(cursor, "the expected value or query after '" + op.Text + "'");
        cursor.ExpectEnd("the check");
        return new ExpectSyntax(label.StringValue!, left, comparison, right, keyword.Location);
    }

    private static OperandSyntax ParseOperand(TokenCursor cursor, string what)
    {
        if (cursor.Peek().Kind == TokenKind.Identifier && ExpressionParser.StartsExpression(cursor.Peek(1)))
        {
            var query = CommandParser.Parse(cursor);
            return query.Target is { } target
                ? throw new ScenarioSyntaxException(target.Location, "expected a value or a query in an 'expect', found an assignment")
                : new QueryOperandSyntax(query);
        }

        return new ValueOperandSyntax(ExpressionParser.Parse(cursor, what));
    }
}
