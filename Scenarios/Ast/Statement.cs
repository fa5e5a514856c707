using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Ast;

/// <summary>
/// One line of a scenario body, already checked for shape: the right number of arguments and valid keywords.
/// Values (which variable holds a process, an address ...) are checked when the statement runs.
/// <see cref="Target"/> is the variable the statement assigns, if any.
/// </summary>
internal abstract record Statement(SourceLocation Location)
{
    public string? Target { get; init; }

    /// <summary>The verb as written in the file, for traces and error messages.</summary>
    public string Verb { get; init; } = string.Empty;
}

/// <summary>A statement that produces a value and so can also be the left or right side of an <c>expect</c>.</summary>
internal abstract record QueryStatement(SourceLocation Location) : Statement(Location);
