using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Binding;

/// <summary>The language's arithmetic, unsigned 64-bit: the binder folds constants with it and the interpreter runs it.</summary>
internal static class Arithmetic
{
    /// <summary>The result, or null when it leaves 0..2^64-1 or divides by zero.</summary>
    public static ulong? Apply(ulong left, ArithmeticOperator op, ulong right)
    {
        try
        {
            return op switch
            {
                ArithmeticOperator.Add => checked(left + right),
                ArithmeticOperator.Subtract => checked(left - right),
                ArithmeticOperator.Multiply => checked(left * right),
                _ => right == 0 ? null : left / right,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static string OutOfRange(ulong left, ulong right) => $"arithmetic on {left} and {right} leaves the range 0..2^64-1";
}
