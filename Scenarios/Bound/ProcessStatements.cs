using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary><c>name = VALUE</c>: the target holds the value (a number, a string, or another variable's value).</summary>
internal sealed record BoundLet(BoundExpression Value, SourceLocation Location) : BoundStatement(Location, "=")
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitLet(this);
}

/// <summary><c>p = process ["name"]</c>: a new process with an empty address space.</summary>
internal sealed record BoundProcess(string? DisplayName, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitProcess(this);
}

/// <summary><c>c = fork p</c>: fork(); the child gets copies of the page tables (copy_page_range).</summary>
internal sealed record BoundFork(BoundExpression Parent, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitFork(this);
}

/// <summary><c>exit p</c>: the process exits; its mappings are torn down (exit_mmap).</summary>
internal sealed record BoundExit(BoundExpression Process, SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    public override TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor) => visitor.VisitExit(this);
}
