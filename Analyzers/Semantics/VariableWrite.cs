using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>How a write gives a variable its new value.</summary>
internal enum WriteKind
{
    /// <summary>The declaration's initializer (<c>var f = X;</c>); a declaration without one writes nothing.</summary>
    Declaration,

    /// <summary><c>f = X</c>: the new value is X.</summary>
    Assignment,

    /// <summary><c>f |= X</c>, <c>f &amp;= X</c>, <c>f ^= X</c>: the new value is the old one combined with X.</summary>
    Compound,

    /// <summary>A write whose value is not evaluated: <c>++</c>, <c>--</c>, <c>??=</c>, other compound operators, a
    /// deconstruction target.</summary>
    Opaque,
}

/// <summary>One write of a local or parameter: the operation that writes (a declarator, an assignment, ...) and what it
/// writes.</summary>
internal sealed class VariableWrite
{
    public VariableWrite(IOperation operation, WriteKind kind, IOperation? value)
    {
        Operation = operation;
        Kind = kind;
        Value = value;
    }

    /// <summary>The declarator, assignment, compound assignment, increment or deconstruction.</summary>
    public IOperation Operation { get; }

    public WriteKind Kind { get; }

    /// <summary>The initializer or right-hand side (null for <see cref="WriteKind.Opaque"/>).</summary>
    public IOperation? Value { get; }

    /// <summary>The bitwise operator of a <see cref="WriteKind.Compound"/> write.</summary>
    public BinaryOperatorKind CompoundOperator => Operation is ICompoundAssignmentOperation compound ? compound.OperatorKind : BinaryOperatorKind.None;
}
