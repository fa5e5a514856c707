using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Every use of one local or parameter inside one body (lambdas and local functions included), sorted by what the use
/// can do to the variable. Built by <see cref="BodyVariables"/>, which classifies each reference by a closed list of
/// forms: a form not on the list makes the variable <see cref="Unanalysable"/>, so a new language feature or an
/// unusual alias is a lost proof (CG0004), never a silent trust.
/// </summary>
internal sealed class VariableFacts
{
    private readonly List<IOperation> _references = new();
    private readonly List<VariableWrite> _writes = new();

    public VariableFacts(ISymbol variable) => Variable = variable;

    public ISymbol Variable { get; }

    /// <summary>Every ILocalReferenceOperation / IParameterReferenceOperation of the variable, in tree order.</summary>
    public IReadOnlyList<IOperation> References => _references;

    /// <summary>The writes in the variable's own function (the declaration with its initializer included), in tree order.</summary>
    public IReadOnlyList<VariableWrite> Writes => _writes;

    /// <summary>Why the variable's value at a read cannot be known from the visible writes (its address is taken, a
    /// lambda or local function writes it, it is declared by a form whose write is implicit); null when every write is
    /// one of <see cref="Writes"/>.</summary>
    public string? Unanalysable { get; private set; }

    /// <summary>The initializer when the variable is a local whose only write is its declaration (and nothing can
    /// write it behind the analyzer's back); null otherwise.</summary>
    public IOperation? SingleValue =>
        Unanalysable is null && _writes.Count == 1 && _writes[0].Kind == WriteKind.Declaration ? _writes[0].Value : null;

    /// <summary>True when nothing but the declaration (locals) or the caller (parameters) gives the variable a value.</summary>
    public bool IsNeverReassigned => Unanalysable is null &&
        (Variable is IParameterSymbol ? _writes.Count == 0 : _writes.Count == 1 && _writes[0].Kind == WriteKind.Declaration);

    public void AddReference(IOperation reference) => _references.Add(reference);

    public void AddWrite(VariableWrite write) => _writes.Add(write);

    /// <summary>Records the first reason the variable escapes analysis (later ones add nothing for the user).</summary>
    public void MarkUnanalysable(string reason) => Unanalysable ??= reason;
}
