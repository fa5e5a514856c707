using CowGuard.Scenarios.Diagnostics;

namespace CowGuard.Scenarios.Bound;

/// <summary>
/// A scenario variable: its name, the kind of value it holds, and where it was defined. Assigning a name again
/// defines a new symbol (the kind may change); each use refers to the symbol in force at that line.
/// </summary>
internal sealed class Symbol(string name, ScenarioType type, SourceLocation definedAt)
{
    public string Name { get; } = name;

    public ScenarioType Type { get; } = type;

    public SourceLocation DefinedAt { get; } = definedAt;

    /// <summary>The value when it is known before the scenario runs (a number, possibly computed from constants).</summary>
    public ulong? Constant { get; init; }

    /// <summary>A backing parameter (<c>for thp in 16K, 32K</c>): a constant with no defining statement.</summary>
    public bool IsParameter { get; init; }

    /// <summary>
    /// For <c>q = p</c>: the symbol whose value this one copies (followed to the first definition), so facts about
    /// the thing itself (a process's KSM registration, how a handle is held on a live kernel) are kept once.
    /// </summary>
    public Symbol? AliasOf { get; init; }

    /// <summary>The symbol that defined the thing this one names (itself unless it is an alias).</summary>
    public Symbol Root => AliasOf ?? this;

    public override string ToString() => Name;
}
