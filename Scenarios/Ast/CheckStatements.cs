using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// <c>expect "label": LEFT == RIGHT</c> (or <c>!=</c>): a labelled check printed as PASS/FAIL with the observed and
/// expected values. Each side is a value or a query such as <c>read child mem size</c>. Comparing bytes with a number
/// means "every byte equals that number".
/// </summary>
internal sealed record ExpectStatement(string Label, Operand Left, Comparison Comparison, Operand Right, SourceLocation Location)
    : Statement(Location);

/// <summary>One side of an <c>expect</c>.</summary>
internal abstract record Operand(SourceLocation Location);

internal sealed record ValueOperand(Expr Value) : Operand(Value.Location);

internal sealed record QueryOperand(QueryStatement Query) : Operand(Query.Location);

/// <summary><c>[v =] refcount p ADDR</c>, mapcount, pincount, exclusive, writable, present, swapped: facts about one page.</summary>
internal sealed record PageFactStatement(PageFact Fact, Expr Process, Expr Address, SourceLocation Location) : QueryStatement(Location);

/// <summary>
/// <c>r = try OPERATION ...</c>: runs the operation and yields "ok", or the fault it raised ("SIGSEGV", "SIGBUS",
/// "userfault", "ENOMEM", "EINVAL", "ESRCH") instead of stopping the scenario — for checks such as
/// "the child's access does not SIGBUS".
/// </summary>
internal sealed record TryStatement(Statement Operation, SourceLocation Location) : QueryStatement(Location);

/// <summary><c>snapshot "label"</c>: remember the machine's state here for <c>draw</c>.</summary>
internal sealed record SnapshotStatement(string Label, SourceLocation Location) : Statement(Location);

/// <summary>
/// <c>setup</c>: run the current backing's statements here (they prepare <c>mem</c> and <c>size</c>). A scenario
/// without an <c>over</c> line may name one backing instead (<c>setup thp</c>): it then runs once, on that backing,
/// and its name carries no "... with" suffix (cow.c's THP-collapse tests).
/// </summary>
internal sealed record SetupStatement(NameReference? Backing, SourceLocation Location) : Statement(Location);

/// <summary><c>name = VALUE</c>: binds a variable to a number, a string or another variable's value.</summary>
internal sealed record LetStatement(Expr Value, SourceLocation Location) : Statement(Location);
