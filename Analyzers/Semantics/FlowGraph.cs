using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The control-flow graph of one function (a member body, a lambda or a local function) with an index from syntax to
/// the places operations sit in it, so an operation of the ordinary operation tree can be found in the graph, and the
/// reaching definitions of its variables, computed once per variable. Built only when a flags value reads a variable
/// that is written after its declaration; everything is cached per body.
/// </summary>
internal sealed class FlowGraph
{
    private static readonly ConditionalWeakTable<IOperation, Functions> ByBody = new();

    private readonly Dictionary<SyntaxNode, List<(FlowPosition Position, IOperation Operation)>> _bySyntax = new();
    private readonly ConcurrentDictionary<ISymbol, ReachingDefinitions?> _reaching = new(SymbolEqualityComparer.Default);

    private FlowGraph(ControlFlowGraph graph)
    {
        Graph = graph;
        foreach (var block in graph.Blocks)
        {
            for (var index = 0; index < block.Operations.Length; index++)
            {
                IndexOperation(block.Operations[index], new FlowPosition(block.Ordinal, index));
            }

            if (block.BranchValue is { } branch)
            {
                IndexOperation(branch, new FlowPosition(block.Ordinal, block.Operations.Length));
            }
        }
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>The graph of <paramref name="function"/> (null: the member itself), whose body contains
    /// <paramref name="operation"/>; null when no graph can be built for that body.</summary>
    public static FlowGraph? Of(IOperation operation, IMethodSymbol? function, CancellationToken cancellationToken) =>
        ByBody.GetValue(BodyVariables.BodyRoot(operation), root => new Functions(root)).Get(operation, function, cancellationToken);

    /// <summary>Where <paramref name="treeOperation"/> (a variable reference, declarator, assignment, compound assignment,
    /// increment or deconstruction of the ordinary operation tree) sits in the graph; null when it is not found exactly
    /// once.</summary>
    public FlowPosition? Locate(IOperation treeOperation)
    {
        if (!_bySyntax.TryGetValue(treeOperation.Syntax, out var candidates))
        {
            return null;
        }

        FlowPosition? found = null;
        foreach (var (position, operation) in candidates)
        {
            if (Matches(treeOperation, operation))
            {
                if (found is not null)
                {
                    return null;
                }

                found = position;
            }
        }

        return found;
    }

    /// <summary>The reaching definitions of <paramref name="facts"/>' variable in this graph, or null when a write
    /// cannot be placed or sits where control does not flow along the graph's edges (finally, exception filters).</summary>
    public ReachingDefinitions? Reaching(VariableFacts facts) =>
        _reaching.GetOrAdd(facts.Variable, _ => ReachingDefinitions.Compute(this, facts));

    private void IndexOperation(IOperation statement, FlowPosition position)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation.Kind is OperationKind.LocalReference or OperationKind.ParameterReference or
                OperationKind.SimpleAssignment or OperationKind.CompoundAssignment or OperationKind.Increment or
                OperationKind.Decrement or OperationKind.DeconstructionAssignment)
            {
                if (!_bySyntax.TryGetValue(operation.Syntax, out var list))
                {
                    list = new List<(FlowPosition, IOperation)>();
                    _bySyntax.Add(operation.Syntax, list);
                }

                list.Add((position, operation));
            }
        }
    }

    /// <summary>The graph's counterpart of a tree operation: same syntax, same kind, same variable. A declarator
    /// becomes an implicit assignment to its local.</summary>
    private static bool Matches(IOperation tree, IOperation flow) => tree switch
    {
        ILocalReferenceOperation local => flow is ILocalReferenceOperation other && SymbolEqualityComparer.Default.Equals(local.Local, other.Local),
        IParameterReferenceOperation parameter => flow is IParameterReferenceOperation other && SymbolEqualityComparer.Default.Equals(parameter.Parameter, other.Parameter),
        IVariableDeclaratorOperation declarator => flow is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } &&
            SymbolEqualityComparer.Default.Equals(target.Local, declarator.Symbol),
        _ => flow.Kind == tree.Kind,
    };

    /// <summary>The graphs of one body: the member's, built on first use, and those of its lambdas and local functions,
    /// reached through their enclosing graphs.</summary>
    private sealed class Functions
    {
        private readonly IOperation _root;
        private readonly object _memberLock = new();
        private readonly ConcurrentDictionary<ISymbol, FlowGraph?> _nested = new(SymbolEqualityComparer.Default);
        private FlowGraph? _member;
        private bool _memberBuilt;

        public Functions(IOperation root) => _root = root;

        public FlowGraph? Get(IOperation operation, IMethodSymbol? function, CancellationToken cancellationToken)
        {
            if (function is null)
            {
                return Member(cancellationToken);
            }

            var functionOperation = FindFunction(operation, function);
            return functionOperation is null ? null : Nested(functionOperation, cancellationToken);
        }

        private FlowGraph? Member(CancellationToken cancellationToken)
        {
            lock (_memberLock)
            {
                if (!_memberBuilt)
                {
                    _member = Create(_root, cancellationToken) is { } graph ? new FlowGraph(graph) : null;
                    _memberBuilt = true;
                }

                return _member;
            }
        }

        private FlowGraph? Nested(IOperation functionOperation, CancellationToken cancellationToken)
        {
            var symbol = functionOperation is IAnonymousFunctionOperation lambda ? lambda.Symbol : ((ILocalFunctionOperation)functionOperation).Symbol;
            return _nested.GetOrAdd(symbol, _ =>
            {
                var enclosing = EnclosingFunctionOperation(functionOperation);
                var parent = enclosing is null ? Member(cancellationToken) : Nested(enclosing, cancellationToken);
                var graph = parent is null ? null : NestedGraph(parent.Graph, symbol, cancellationToken);
                return graph is null ? null : new FlowGraph(graph);
            });
        }

        private static ControlFlowGraph? NestedGraph(ControlFlowGraph parent, IMethodSymbol symbol, CancellationToken cancellationToken)
        {
            if (symbol.MethodKind == MethodKind.LocalFunction)
            {
                foreach (var localFunction in parent.LocalFunctions)
                {
                    if (SymbolEqualityComparer.Default.Equals(localFunction, symbol))
                    {
                        return parent.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken);
                    }
                }

                return null;
            }

            foreach (var block in parent.Blocks)
            {
                var statements = block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue);
                foreach (var statement in statements)
                {
                    foreach (var operation in statement.DescendantsAndSelf())
                    {
                        if (operation is IFlowAnonymousFunctionOperation flowLambda && SymbolEqualityComparer.Default.Equals(flowLambda.Symbol, symbol))
                        {
                            return parent.GetAnonymousFunctionControlFlowGraph(flowLambda, cancellationToken);
                        }
                    }
                }
            }

            return null;
        }

        private static IOperation? FindFunction(IOperation operation, IMethodSymbol function)
        {
            for (var current = operation; current is not null; current = current.Parent)
            {
                if ((current is IAnonymousFunctionOperation lambda && SymbolEqualityComparer.Default.Equals(lambda.Symbol, function)) ||
                    (current is ILocalFunctionOperation localFunction && SymbolEqualityComparer.Default.Equals(localFunction.Symbol, function)))
                {
                    return current;
                }
            }

            return null;
        }

        private static IOperation? EnclosingFunctionOperation(IOperation functionOperation)
        {
            for (var current = functionOperation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return current;
                }
            }

            return null;
        }

        private static ControlFlowGraph? Create(IOperation root, CancellationToken cancellationToken) => root switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
            IFieldInitializerOperation field => ControlFlowGraph.Create(field, cancellationToken),
            IPropertyInitializerOperation property => ControlFlowGraph.Create(property, cancellationToken),
            IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter, cancellationToken),
            _ => null,
        };
    }
}

/// <summary>A place in a control-flow graph: a block and the index of the statement in it (the branch value comes
/// after the last statement).</summary>
internal readonly struct FlowPosition
{
    public FlowPosition(int block, int index)
    {
        Block = block;
        Index = index;
    }

    public int Block { get; }

    public int Index { get; }
}
