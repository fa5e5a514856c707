using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary>
/// One statement of a bound scenario instance: its operands are typed expressions over symbols, its keywords are
/// enums, and <c>setup</c> is already replaced by the backing's statements (<see cref="FromBacking"/>). Bound nodes
/// are records for brevity; a backend that keys a table by node uses reference equality.
/// </summary>
internal abstract record BoundStatement(SourceLocation Location, string Verb)
{
    /// <summary>The variable the statement defines, if any.</summary>
    public Symbol? Target { get; init; }

    /// <summary>The statement comes from the backing that <c>setup</c> ran.</summary>
    public bool FromBacking { get; init; }

    public abstract TStatement Accept<TStatement, TExpression>(IBoundTreeVisitor<TStatement, TExpression> visitor);
}

/// <summary>A statement whose value can also be one side of an <c>expect</c> (read, pipe_read, a page fact, try ...).</summary>
internal abstract record BoundQuery(SourceLocation Location, string Verb) : BoundStatement(Location, Verb)
{
    /// <summary>The kind of value the query produces.</summary>
    public abstract ScenarioType ResultType { get; }
}
