using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// expr = union ; union = sum { "|" sum } ; sum = term { ("+"|"-") term } ; term = factor { ("*"|"/") factor } ;
/// factor = number | string | identifier | "(" expr ")". An argument list is a run of expressions, so
/// <c>read p mem + 4K 4K</c> reads as (p) (mem + 4K) (4K).
/// </summary>
internal static class ExpressionParser
{
    public static ExpressionSyntax Parse(TokenCursor cursor, string what)
    {
        var first = ParseSum(cursor, what);
        if (cursor.Peek().Kind != TokenKind.Pipe)
        {
            return first;
        }

        var flags = new List<NameSyntax> { AsFlag(first) };
        while (cursor.TryTake(TokenKind.Pipe, out _))
        {
            flags.Add(AsFlag(ParseSum(cursor, "a flag name after '|'")));
        }

        return new FlagUnionSyntax(flags, first.Location);
    }

    /// <summary>Can this token start an expression? Used to tell where an argument list ends.</summary>
    public static bool StartsExpression(Token token) =>
        token.Kind is TokenKind.Number or TokenKind.String or TokenKind.Identifier or TokenKind.OpenParen;

    private static NameSyntax AsFlag(ExpressionSyntax expression) => expression as NameSyntax
        ?? throw new ScenarioSyntaxException(expression.Location, "expected a flag name on each side of '|'");

    private static ExpressionSyntax ParseSum(TokenCursor cursor, string what)
    {
        var left = ParseTerm(cursor, what);
        while (cursor.Peek().Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = cursor.Next();
            var right = ParseTerm(cursor, $"a value after '{op.Text}'");
            left = new BinarySyntax(left, op.Kind == TokenKind.Plus ? ArithmeticOperator.Add : ArithmeticOperator.Subtract, right, op.Location);
        }

        return left;
    }

    private static ExpressionSyntax ParseTerm(TokenCursor cursor, string what)
    {
        var left = ParseFactor(cursor, what);
        while (cursor.Peek().Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = cursor.Next();
            var right = ParseFactor(cursor, $"a value after '{op.Text}'");
            left = new BinarySyntax(left, op.Kind == TokenKind.Star ? ArithmeticOperator.Multiply : ArithmeticOperator.Divide, right, op.Location);
        }

        return left;
    }

    private static ExpressionSyntax ParseFactor(TokenCursor cursor, string what)
    {
        var token = cursor.Peek();
        switch (token.Kind)
        {
            case TokenKind.Number:
                cursor.Next();
                return new NumberSyntax(token.Number, token.Text, token.Location);
            case TokenKind.String:
                cursor.Next();
                return new StringSyntax(token.StringValue!, token.Location);
            case TokenKind.Identifier:
                cursor.Next();
                return new NameSyntax(token.Text, token.Location);
            case TokenKind.OpenParen:
                cursor.Next();
                var inner = Parse(cursor, "a value after '('");
                cursor.Expect(TokenKind.CloseParen, "')' to close the '(' at column " + token.Location.Column);
                return inner;
            default:
                throw new ScenarioSyntaxException(token.Location, $"expected {what}, found {token.Describe()}");
        }
    }
}
