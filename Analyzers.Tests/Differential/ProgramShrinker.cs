namespace CowGuard.Analyzers.Tests.Differential;

/// <summary>
/// Greedy structural shrinking of a failing <see cref="ProgramSpec"/> to a 1-minimal one: no function or statement can
/// be removed, no compound statement replaced by one of its blocks, no expression replaced by an operand or a
/// constant, no justification dropped and no choice lowered to 0 without losing the failure. CsCheck shrinks by the
/// size of its random stream, which moves little in a tree of choices; this walks the tree itself. Candidates are
/// checked in batches (one compilation each); the first candidate of a batch that still fails is kept.
/// </summary>
public static class ProgramShrinker
{
    private const int Batch = 16;

    public static ProgramSpec Shrink(ProgramSpec failing, Func<IReadOnlyList<ProgramSpec>, int> firstFailing)
    {
        var current = failing;
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var chunk in Candidates(current).Chunk(Batch))
            {
                var index = firstFailing(chunk);
                if (index >= 0)
                {
                    current = chunk[index];
                    progress = true;
                    break;
                }
            }
        }

        return current;
    }

    /// <summary>Every one-step simplification of <paramref name="program"/>, biggest cuts first.</summary>
    public static IEnumerable<ProgramSpec> Candidates(ProgramSpec program)
    {
        for (var i = 0; i < program.Functions.Length; i++)
        {
            yield return program with { Functions = Without(program.Functions, i) };
        }

        foreach (var main in Blocks(program.Main))
        {
            yield return program with { Main = main };
        }

        for (var i = 0; i < program.Functions.Length; i++)
        {
            var function = program.Functions[i];
            foreach (var body in Blocks(function.Body))
            {
                yield return program with { Functions = With(program.Functions, i, function with { Body = body }) };
            }

            foreach (var forwarded in Expressions(function.Forwarded))
            {
                yield return program with { Functions = With(program.Functions, i, function with { Forwarded = forwarded }) };
            }

            if (function.Justified)
            {
                yield return program with { Functions = With(program.Functions, i, function with { Justified = false }) };
            }

            if (function.Target != 0)
            {
                yield return program with { Functions = With(program.Functions, i, function with { Target = 0 }) };
            }
        }
    }

    /// <summary>The simplifications of a block: drop a statement, splice a compound statement's blocks in its place,
    /// or simplify one statement.</summary>
    private static IEnumerable<StatementSpec[]> Blocks(StatementSpec[] block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            yield return Without(block, i);
        }

        for (var i = 0; i < block.Length; i++)
        {
            var statement = block[i];
            if (statement.Then.Length + statement.Else.Length > 0)
            {
                yield return [.. block[..i], .. statement.Then, .. block[(i + 1)..]];
                yield return [.. block[..i], .. statement.Else, .. block[(i + 1)..]];
            }

            foreach (var simpler in Statements(statement))
            {
                yield return With(block, i, simpler);
            }
        }
    }

    private static IEnumerable<StatementSpec> Statements(StatementSpec statement)
    {
        foreach (var then in Blocks(statement.Then))
        {
            yield return statement with { Then = then };
        }

        foreach (var @else in Blocks(statement.Else))
        {
            yield return statement with { Else = @else };
        }

        foreach (var value in Expressions(statement.Value))
        {
            yield return statement with { Value = value };
        }

        if (statement.Pick != 0)
        {
            yield return statement with { Pick = 0 };
        }
    }

    private static IEnumerable<ExpressionSpec> Expressions(ExpressionSpec expression)
    {
        foreach (var operand in new[] { expression.Left, expression.Right, expression.Third })
        {
            if (operand is not null)
            {
                yield return operand;
            }
        }

        if (expression.Kind != (int)ExpressionKind.Constant || expression.Pick != 0)
        {
            yield return new ExpressionSpec((int)ExpressionKind.Constant, 0, null, null, null);
        }

        if (expression.Left is not null)
        {
            foreach (var left in Expressions(expression.Left))
            {
                yield return expression with { Left = left };
            }
        }

        if (expression.Right is not null)
        {
            foreach (var right in Expressions(expression.Right))
            {
                yield return expression with { Right = right };
            }
        }

        if (expression.Third is not null)
        {
            foreach (var third in Expressions(expression.Third))
            {
                yield return expression with { Third = third };
            }
        }

        if (expression.Pick != 0)
        {
            yield return expression with { Pick = 0 };
        }
    }

    private static T[] Without<T>(T[] items, int index) => [.. items[..index], .. items[(index + 1)..]];

    private static T[] With<T>(T[] items, int index, T item)
    {
        var copy = (T[])items.Clone();
        copy[index] = item;
        return copy;
    }
}
