using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Bound;

/// <summary>A typed value. <see cref="Constant"/> is the number when it is known before the scenario runs.</summary>
internal abstract record BoundExpression(ScenarioType Type, SourceLocation Location)
{
    public virtual ulong? Constant => null;

    public abstract TExpression Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor);
}

/// <summary>A number as written (<see cref="Spelling"/>, e.g. "4K") and its value.</summary>
internal sealed record BoundNumber(ulong Value, string Spelling, SourceLocation Location) : BoundExpression(ScenarioType.Number, Location)
{
    public override ulong? Constant => Value;

    public override TExpression Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitNumber(this);
}

internal sealed record BoundString(string Value, SourceLocation Location) : BoundExpression(ScenarioType.Text, Location)
{
    public override TExpression Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitString(this);
}

internal sealed record BoundVariable(Symbol Symbol, SourceLocation Location) : BoundExpression(Symbol.Type, Location)
{
    public override ulong? Constant => Symbol.Constant;

    public override TExpression Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitVariable(this);
}

/// <summary>Arithmetic on numbers (unsigned 64-bit; leaving the range is an error). <see cref="Constant"/> is folded.</summary>
internal sealed record BoundArithmetic(BoundExpression Left, ArithmeticOperator Operator, BoundExpression Right, ScenarioType Type, ulong? Folded, SourceLocation Location)
    : BoundExpression(Type, Location)
{
    public override ulong? Constant => Folded;

    public override TExpression Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitArithmetic(this);
}
