using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Which writes of one variable can be the last one before a point of its function's control-flow graph (the
/// classic reaching-definitions problem, solved by iteration over bit sets). A parameter has one more definition, its
/// value on entry. Exception handling is over-approximated: a block entered only by an exception (a catch or finally
/// handler) may see any definition; a write inside a finally handler or an exception filter — whose effects reach the
/// code after the try statement by no edge of the graph — makes the variable unanalysable.
/// </summary>
internal sealed class ReachingDefinitions
{
    /// <summary>Bit sets are one ulong: one bit per write plus the entry definition.</summary>
    private const int MaxWrites = 63;

    private readonly List<(VariableWrite Write, FlowPosition Position)> _writes;
    private readonly ulong[] _in;
    private readonly bool _hasEntry;

    private ReachingDefinitions(List<(VariableWrite, FlowPosition)> writes, ulong[] @in, bool hasEntry)
    {
        _writes = writes;
        _in = @in;
        _hasEntry = hasEntry;
    }

    private ulong EntryBit => _hasEntry ? 1UL << _writes.Count : 0;

    public static ReachingDefinitions? Compute(FlowGraph flowGraph, VariableFacts facts)
    {
        if (facts.Unanalysable is not null || facts.Writes.Count > MaxWrites - 1)
        {
            return null;
        }

        var graph = flowGraph.Graph;
        var writes = new List<(VariableWrite, FlowPosition)>(facts.Writes.Count);
        foreach (var write in facts.Writes)
        {
            if (flowGraph.Locate(write.Operation) is not { } position || InHandlerWithoutEdges(graph.Blocks[position.Block]))
            {
                return null;
            }

            writes.Add((write, position));
        }

        var reaching = new ReachingDefinitions(writes, new ulong[graph.Blocks.Length], facts.Variable is IParameterSymbol);
        reaching.Solve(graph);
        return reaching;
    }

    /// <summary>The definitions that can give the variable its value at <paramref name="position"/> (null stands for
    /// the entry value of a parameter); null when that cannot be told. A write in the same statement as the read counts
    /// only when <paramref name="isEvaluatedBefore"/> says the read happens before it (the right-hand side of that very
    /// write); any other write in the same statement makes the answer unknown, since the order inside an expression is
    /// not modelled.</summary>
    public IReadOnlyList<VariableWrite?>? At(FlowPosition position, System.Func<VariableWrite, bool> isEvaluatedBefore)
    {
        var lastIndex = -1;
        foreach (var (write, at) in _writes)
        {
            if (at.Block != position.Block)
            {
                continue;
            }

            if (at.Index == position.Index)
            {
                if (!isEvaluatedBefore(write))
                {
                    return null;
                }
            }
            else if (at.Index < position.Index && at.Index > lastIndex)
            {
                lastIndex = at.Index;
            }
        }

        var set = lastIndex >= 0 ? WritesAt(position.Block, lastIndex) : _in[position.Block];
        var result = new List<VariableWrite?>();
        for (var bit = 0; bit < _writes.Count; bit++)
        {
            if ((set & (1UL << bit)) != 0)
            {
                result.Add(_writes[bit].Write);
            }
        }

        if ((set & EntryBit) != 0)
        {
            result.Add(null);
        }

        return result;
    }

    /// <summary>Where <paramref name="write"/> sits in the graph (every write was placed by <see cref="Compute"/>).</summary>
    public FlowPosition PositionOf(VariableWrite write)
    {
        foreach (var (candidate, position) in _writes)
        {
            if (candidate == write)
            {
                return position;
            }
        }

        throw new System.ArgumentException("The write does not belong to this variable.", nameof(write));
    }

    private void Solve(ControlFlowGraph graph)
    {
        var everything = EntryBit;
        for (var bit = 0; bit < _writes.Count; bit++)
        {
            everything |= 1UL << bit;
        }

        foreach (var block in graph.Blocks)
        {
            // The entry block starts with the entry definition; a block no edge leads to is an exception handler (or
            // unreachable): control may arrive from anywhere in its try region, so any definition may reach it.
            _in[block.Ordinal] = block.Kind == BasicBlockKind.Entry ? EntryBit : block.Predecessors.IsEmpty ? everything : 0;
        }

        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var block in graph.Blocks)
            {
                if (block.Kind == BasicBlockKind.Entry || block.Predecessors.IsEmpty)
                {
                    continue;
                }

                ulong incoming = 0;
                foreach (var branch in block.Predecessors)
                {
                    incoming |= Out(branch.Source.Ordinal);
                }

                if (incoming != _in[block.Ordinal])
                {
                    _in[block.Ordinal] = incoming;
                    changed = true;
                }
            }
        }
    }

    /// <summary>What leaves a block: the writes of its last writing statement, or what entered it.</summary>
    private ulong Out(int block)
    {
        var lastIndex = -1;
        foreach (var (_, at) in _writes)
        {
            if (at.Block == block && at.Index > lastIndex)
            {
                lastIndex = at.Index;
            }
        }

        return lastIndex >= 0 ? WritesAt(block, lastIndex) : _in[block];
    }

    /// <summary>The writes of one statement. Two writes in one statement (<c>M(f = a, f = b)</c>) both count: which one is
    /// last is not modelled, so both may reach.</summary>
    private ulong WritesAt(int block, int index)
    {
        ulong set = 0;
        for (var bit = 0; bit < _writes.Count; bit++)
        {
            if (_writes[bit].Position.Block == block && _writes[bit].Position.Index == index)
            {
                set |= 1UL << bit;
            }
        }

        return set;
    }

    private static bool InHandlerWithoutEdges(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Filter)
            {
                return true;
            }
        }

        return false;
    }
}
