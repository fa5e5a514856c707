using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// A value in a scenario: a number (sizes and addresses), a string, a variable (a process, address, handle, pipe,
/// file, saved bytes ...), or arithmetic over numbers. Backend-neutral: a C emitter maps these one to one.
/// </summary>
internal abstract record Expr(SourceLocation Location);

/// <summary>A number as written (<see cref="Spelling"/>, e.g. "4K") and its value (4096).</summary>
internal sealed record NumberExpr(ulong Value, string Spelling, SourceLocation Location) : Expr(Location);

internal sealed record StringExpr(string Value, SourceLocation Location) : Expr(Location);

internal sealed record VariableExpr(string Name, SourceLocation Location) : Expr(Location);

internal sealed record BinaryExpr(Expr Left, ArithmeticOperator Operator, Expr Right, SourceLocation Location) : Expr(Location);

/// <summary>'a|b|c' — only meaningful where an operation takes flags; the binder turns it into an enum value.</summary>
internal sealed record FlagUnionExpr(IReadOnlyList<VariableExpr> Flags, SourceLocation Location) : Expr(Location);

internal enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}
