using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Bound;

/// <summary>
/// <c>expect "label": LEFT == RIGHT</c> (or <c>!=</c>). <see cref="Index"/> is the check's identity in its program
/// (0, 1, ... in statement order): every backend reports results by it, so the model's and a kernel's results can be
/// compared check by check. Bytes compare exactly; bytes against a number mean "every byte is that number".
/// </summary>
internal sealed record BoundExpect(int Index, string Label, BoundOperand Left, Comparison Comparison, BoundOperand Right, SourceLocation Location)
    : BoundStatement(Location, "expect")
{
    /// <summary>
    /// Can a live kernel show both sides? Not when a side is a kernel-private page fact, nor when a page frame number
    /// is compared with anything but another one (the kernel's numbers are not the model's).
    /// </summary>
    public bool ObservableOnLiveKernel =>
        Left.Type.ObservableOnLiveKernel && Right.Type.ObservableOnLiveKernel
        && (Left.Type == ScenarioType.PageFrameNumber) == (Right.Type == ScenarioType.PageFrameNumber);

    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitExpect(this);
}

/// <summary>One side of an <c>expect</c>: a value, or a query run where the check stands.</summary>
internal abstract record BoundOperand(SourceLocation Location)
{
    public abstract ScenarioType Type { get; }

    /// <summary>Exactly one of the two functions runs, for the kind of operand this is.</summary>
    public abstract T Match<T>(Func<BoundExpression, T> value, Func<BoundQuery, T> query);
}

internal sealed record BoundValueOperand(BoundExpression Value) : BoundOperand(Value.Location)
{
    public override ScenarioType Type => Value.Type;

    public override T Match<T>(Func<BoundExpression, T> value, Func<BoundQuery, T> query) => value(Value);
}

internal sealed record BoundQueryOperand(BoundQuery Query) : BoundOperand(Query.Location)
{
    public override ScenarioType Type => Query.ResultType;

    public override T Match<T>(Func<BoundExpression, T> value, Func<BoundQuery, T> query) => query(Query);
}
