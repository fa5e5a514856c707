using System.Globalization;
using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// Where each value lives in the program's shared variable table (cg->v[], cowguard_live.h): one slot per symbol
/// (a backing parameter needs none: it is a constant), then one per value that has no symbol — a query without a
/// target, a GUP under <c>try</c>, a constant side of a check, the remote accessor process. Computed once, up front.
/// </summary>
internal sealed class SlotMap
{
    /// <summary>cowguard_live.h's CG_MAX_VARS.</summary>
    public const int Capacity = 256;

    private readonly Dictionary<Symbol, int> _symbols = [];
    private readonly Dictionary<object, int> _temporaries = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _names = [];
    private int? _accessor;

    private SlotMap()
    {
    }

    /// <summary>The name of each slot, by index ("$N" for a temporary), for the program's messages.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The slot of the accessor process's variable, when the program makes remote copies.</summary>
    public int Accessor => _accessor ?? throw new InvalidOperationException("the program makes no remote copies");

    public static SlotMap Build(BoundProgram program, bool needsAccessor)
    {
        var map = new SlotMap();
        foreach (var symbol in program.Symbols.Where(s => !s.IsParameter))
        {
            map._symbols[symbol] = map.Add(symbol.Name);
        }

        foreach (var statement in program.Statements)
        {
            map.AddTemporaries(statement);
        }

        if (needsAccessor)
        {
            map._accessor = map.AddTemporary();
        }

        return map;
    }

    public int Of(Symbol symbol) => _symbols[symbol];

    /// <summary>The slot a statement's value goes to: its target's, or its temporary.</summary>
    public int ResultOf(BoundStatement statement) => statement.Target is { } target ? Of(target) : _temporaries[statement];

    /// <summary>The temporary slot of a check's constant side.</summary>
    public int TemporaryOf(BoundValueOperand operand) => _temporaries[operand];

    private void AddTemporaries(BoundStatement statement)
    {
        switch (statement)
        {
            case BoundTry attempt:
                AddTemporaryUnlessTarget(attempt);
                AddTemporaries(attempt.Operation);
                break;
            case BoundQuery or BoundGup or BoundVmsplice or BoundIoUringRegister:
                AddTemporaryUnlessTarget(statement);
                break;
            case BoundExpect expect:
                AddOperand(expect.Left);
                AddOperand(expect.Right);
                break;
        }
    }

    private void AddTemporaryUnlessTarget(BoundStatement statement)
    {
        if (statement.Target is null)
        {
            _temporaries[statement] = AddTemporary();
        }
    }

    private void AddOperand(BoundOperand operand)
    {
        switch (operand)
        {
            case BoundQueryOperand query:
                AddTemporaries(query.Query);
                break;
            case BoundValueOperand { Value: not BoundVariable { Symbol.IsParameter: false } } constant:
                _temporaries[constant] = AddTemporary();
                break;
        }
    }

    private int AddTemporary() => Add("$" + _names.Count.ToString(CultureInfo.InvariantCulture));

    private int Add(string name)
    {
        _names.Add(name);
        return _names.Count - 1;
    }
}
