using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary><c>p = process ["name"]</c>: a new process with an empty address space.</summary>
internal sealed record ProcessStatement(string? DisplayName, SourceLocation Location) : Statement(Location);

/// <summary><c>c = fork p</c>: fork(); the child gets copies of the page tables (copy_page_range).</summary>
internal sealed record ForkStatement(Expr Parent, SourceLocation Location) : Statement(Location);

/// <summary><c>exit p</c>: the process exits; its mappings are torn down (exit_mmap).</summary>
internal sealed record ExitStatement(Expr Process, SourceLocation Location) : Statement(Location);
