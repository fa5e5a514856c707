using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>A value as written: a number, a string, a name, arithmetic, or a '|' list of flag words.</summary>
internal abstract record ExpressionSyntax(SourceLocation Location)
{
    /// <summary>How an error message names this expression.</summary>
    public abstract string Describe();
}

/// <summary>A number as written (<see cref="Spelling"/>, e.g. "4K") and its value (4096).</summary>
internal sealed record NumberSyntax(ulong Value, string Spelling, SourceLocation Location) : ExpressionSyntax(Location)
{
    public override string Describe() => $"number {Spelling}";
}

internal sealed record StringSyntax(string Value, SourceLocation Location) : ExpressionSyntax(Location)
{
    public override string Describe() => $"string \"{Value}\"";
}

/// <summary>A name: a variable, or a keyword where an operation takes one (rw, dontneed, write ...).</summary>
internal sealed record NameSyntax(string Name, SourceLocation Location) : ExpressionSyntax(Location)
{
    public override string Describe() => $"'{Name}'";
}

internal sealed record BinarySyntax(ExpressionSyntax Left, ArithmeticOperator Operator, ExpressionSyntax Right, SourceLocation Location)
    : ExpressionSyntax(Location)
{
    public override string Describe() => "an arithmetic expression";
}

/// <summary>'a|b|c': only meaningful where an operation takes FOLL flags.</summary>
internal sealed record FlagUnionSyntax(IReadOnlyList<NameSyntax> Flags, SourceLocation Location) : ExpressionSyntax(Location)
{
    public override string Describe() => "a '|' flag list";
}

internal enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}
