using CsCheck;

namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>
/// CsCheck generators of <see cref="ProgramSpec"/>: up to five forwarding functions and a Run body, statements nested
/// up to three deep, expressions up to three deep. Kinds are drawn with weights that keep calls and writes of flags
/// common; everything else is a plain number the renderer takes modulo what it needs.
/// </summary>
public static class ProgramGenerator
{
    private const int MaxExpressionDepth = 3;
    private const int MaxStatementDepth = 3;

    private static readonly Gen<int> Pick = Gen.Int[0, 63];

    private static readonly Gen<ExpressionSpec>[] Expressions = BuildExpressions();

    private static readonly Gen<StatementSpec>[] Statements = BuildStatements();

    public static Gen<FunctionSpec> Function { get; } = Gen.Select(
        Gen.Int[0, Enum.GetValues<FunctionKind>().Length - 1],
        Gen.Int[0, 3],
        Statements[MaxStatementDepth - 1].Array[0, 4],
        Expressions[MaxExpressionDepth],
        Pick,
        (kind, justified, body, forwarded, target) => new FunctionSpec(kind, justified == 0, body, forwarded, target));

    public static Gen<ProgramSpec> Program { get; } = Gen.Select(
        Function.Array[0, 5],
        Statements[MaxStatementDepth].Array[1, 8],
        (functions, main) => new ProgramSpec(functions, main));

    private static Gen<ExpressionSpec>[] BuildExpressions()
    {
        var leaf = Gen.Select(
            Gen.Frequency(
                (3, Gen.Const(ExpressionKind.Constant)),
                (5, Gen.Const(ExpressionKind.Variable)),
                (1, Gen.Const(ExpressionKind.Field)),
                (1, Gen.Const(ExpressionKind.Default))),
            Pick,
            (kind, pick) => new ExpressionSpec((int)kind, pick, null, null, null));
        var byDepth = new Gen<ExpressionSpec>[MaxExpressionDepth + 1];
        byDepth[0] = leaf;
        for (var depth = 1; depth <= MaxExpressionDepth; depth++)
        {
            var inner = byDepth[depth - 1];
            var composite = Gen.Select(
                Gen.Frequency(
                    (3, Gen.Const(ExpressionKind.Or)),
                    (1, Gen.Const(ExpressionKind.And)),
                    (2, Gen.Const(ExpressionKind.Mask)),
                    (1, Gen.Const(ExpressionKind.Xor)),
                    (2, Gen.Const(ExpressionKind.Conditional)),
                    (1, Gen.Const(ExpressionKind.SwitchExpression)),
                    (1, Gen.Const(ExpressionKind.MethodResult)),
                    (1, Gen.Const(ExpressionKind.IntegerRoundTrip)),
                    (1, Gen.Const(ExpressionKind.TupleItem)),
                    (1, Gen.Const(ExpressionKind.AssignmentExpression))),
                Pick,
                inner,
                inner,
                inner,
                (kind, pick, left, right, third) => new ExpressionSpec((int)kind, pick, left, right, third));
            byDepth[depth] = Gen.Frequency((3, leaf), (2, composite));
        }

        return byDepth;
    }

    private static Gen<StatementSpec>[] BuildStatements()
    {
        var expression = Expressions[MaxExpressionDepth];
        var empty = Gen.Const(Array.Empty<StatementSpec>());
        var byDepth = new Gen<StatementSpec>[MaxStatementDepth + 1];
        for (var depth = 0; depth <= MaxStatementDepth; depth++)
        {
            var simple = Gen.Frequency(
                (4, Gen.Const(StatementKind.Declare)),
                (3, Gen.Const(StatementKind.Assign)),
                (2, Gen.Const(StatementKind.CompoundOr)),
                (2, Gen.Const(StatementKind.CompoundAndNot)),
                (1, Gen.Const(StatementKind.CompoundXor)),
                (1, Gen.Const(StatementKind.ThrowIf)),
                (1, Gen.Const(StatementKind.RefLocalWrite)),
                (1, Gen.Const(StatementKind.RefArgument)),
                (1, Gen.Const(StatementKind.OutArgument)),
                (1, Gen.Const(StatementKind.InArgument)),
                (1, Gen.Const(StatementKind.LambdaWrite)),
                (1, Gen.Const(StatementKind.LocalFunctionWrite)),
                (1, Gen.Const(StatementKind.IncrementOrDecrement)),
                (1, Gen.Const(StatementKind.Deconstruction)),
                (1, Gen.Const(StatementKind.FieldWrite)),
                (8, Gen.Const(StatementKind.Call)),
                (2, Gen.Const(StatementKind.CallInLambda)));
            var simpleStatement = Gen.Select(simple, Pick, expression, (kind, pick, value) => new StatementSpec((int)kind, pick, value, [], []));
            if (depth == 0)
            {
                byDepth[0] = simpleStatement;
                continue;
            }

            var block = byDepth[depth - 1].Array[0, 3];
            var compound = Gen.Select(
                Gen.Frequency(
                    (3, Gen.Const(StatementKind.IfElse)),
                    (2, Gen.Const(StatementKind.Loop)),
                    (2, Gen.Const(StatementKind.TryCatch)),
                    (1, Gen.Const(StatementKind.TryFinally)),
                    (1, Gen.Const(StatementKind.Switch)),
                    (1, Gen.Const(StatementKind.Pattern))),
                Pick,
                expression,
                block,
                Gen.Frequency((1, empty), (2, block)),
                (kind, pick, value, then, @else) => new StatementSpec((int)kind, pick, value, then, @else));
            byDepth[depth] = Gen.Frequency((4, simpleStatement), (1, compound));
        }

        return byDepth;
    }
}
