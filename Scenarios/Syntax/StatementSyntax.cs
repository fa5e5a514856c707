using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Syntax;

/// <summary>One line of a scenario body or a backing, as written; the binder gives it meaning.</summary>
internal abstract record StatementSyntax(SourceLocation Location);

/// <summary>
/// An operation line, <c>[target =] verb arg arg ... name=value ...</c>, before the binder checks it against its verb
/// (<c>try</c>, <c>setup</c> and <c>snapshot</c> are operations too).
/// </summary>
internal sealed record CommandSyntax(Token? Target, Token Verb, IReadOnlyList<ArgumentSyntax> Arguments)
    : StatementSyntax(Target?.Location ?? Verb.Location);

/// <summary>A positional argument (<see cref="Name"/> is null) or a <c>name=value</c> option.</summary>
internal sealed record ArgumentSyntax(Token? Name, ExpressionSyntax Value);

/// <summary><c>name = VALUE</c> where VALUE is not an operation.</summary>
internal sealed record LetSyntax(Token Target, ExpressionSyntax Value) : StatementSyntax(Target.Location);

/// <summary><c>expect "label": LEFT (== | !=) RIGHT</c>.</summary>
internal sealed record ExpectSyntax(string Label, OperandSyntax Left, Comparison Comparison, OperandSyntax Right, SourceLocation Location)
    : StatementSyntax(Location);

/// <summary>One side of an <c>expect</c>: a value, or a query written as an operation call (<c>read child mem size</c>).</summary>
internal abstract record OperandSyntax(SourceLocation Location);

internal sealed record ValueOperandSyntax(ExpressionSyntax Value) : OperandSyntax(Value.Location);

internal sealed record QueryOperandSyntax(CommandSyntax Query) : OperandSyntax(Query.Location);

internal enum Comparison
{
    Equal,
    NotEqual,
}

/// <summary>
/// A line that could not be read (already reported) but visibly assigns <see cref="Target"/>: the binder defines the
/// name with a kind that reports nothing more, so its later uses are not reported as unknown.
/// </summary>
internal sealed record FaultySyntax(Token Target) : StatementSyntax(Target.Location);
