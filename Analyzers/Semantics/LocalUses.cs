using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The few local-variable facts the lifetime rules and the flags evaluator need (no data flow): where a value goes
/// after conversions, the body an operation belongs to, the references to a local and whether anything writes it.
/// The references and writes of a body are collected by one walk, cached per body, so a method with many
/// page-reference calls is not walked once per call.
/// </summary>
internal static class LocalUses
{
    private static readonly ConditionalWeakTable<IOperation, BodyLocals> LocalsByBody = new();

    /// <summary>The outermost operation around <paramref name="value"/> that only converts it, and that operation's
    /// parent (the real consumer of the value).</summary>
    public static (IOperation Value, IOperation? Consumer) Consumer(IOperation value)
    {
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return (value, value.Parent);
    }

    /// <summary>The root of the operation tree <paramref name="operation"/> belongs to (the method body, the field
    /// initializer, ...): the region in which a local declared there can be referenced.</summary>
    public static IOperation BodyRoot(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }

    /// <summary>Every reference to <paramref name="local"/> under <paramref name="root"/>, lambdas and local
    /// functions included.</summary>
    public static ImmutableArray<ILocalReferenceOperation> References(IOperation root, ILocalSymbol local) =>
        Of(root).References.TryGetValue(local, out var references) ? references.ToImmutableArray() : ImmutableArray<ILocalReferenceOperation>.Empty;

    /// <summary>True when some reference writes the local (assignment, compound assignment, increment, ref/out
    /// argument, deconstruction target).</summary>
    public static bool IsWrittenAfterDeclaration(IOperation root, ILocalSymbol local) => Of(root).Written.Contains(local);

    /// <summary>The initializer value of <paramref name="local"/>'s declaration, or null (declared without one,
    /// pattern or out variable, or declared in another tree).</summary>
    public static IOperation? InitializerValue(ILocalSymbol local, IOperation anyOperationInBody, System.Threading.CancellationToken cancellationToken)
    {
        var model = anyOperationInBody.SemanticModel;
        if (model is null)
        {
            return null;
        }

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == model.SyntaxTree &&
                model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is IVariableDeclaratorOperation declarator)
            {
                return declarator.GetVariableInitializer()?.Value;
            }
        }

        return null;
    }

    private static BodyLocals Of(IOperation root) => LocalsByBody.GetValue(root, BodyLocals.Collect);

    private static bool IsWrite(ILocalReferenceOperation reference)
    {
        var (value, consumer) = Consumer(reference);
        return consumer is IAssignmentOperation assignment && assignment.Target == value ||
            consumer is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } ||
            consumer is IIncrementOrDecrementOperation ||
            consumer is ITupleOperation { Parent: IDeconstructionAssignmentOperation deconstruction } tuple && deconstruction.Target == tuple;
    }

    /// <summary>The local references of one body, grouped by local, and the locals some reference writes.</summary>
    private sealed class BodyLocals
    {
        private BodyLocals(Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> references, HashSet<ILocalSymbol> written)
        {
            References = references;
            Written = written;
        }

        public Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> References { get; }

        public HashSet<ILocalSymbol> Written { get; }

        public static BodyLocals Collect(IOperation root)
        {
            var references = new Dictionary<ILocalSymbol, List<ILocalReferenceOperation>>(SymbolEqualityComparer.Default);
            var written = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in root.Descendants())
            {
                if (operation is not ILocalReferenceOperation reference)
                {
                    continue;
                }

                if (!references.TryGetValue(reference.Local, out var list))
                {
                    list = new List<ILocalReferenceOperation>();
                    references.Add(reference.Local, list);
                }

                list.Add(reference);
                if (IsWrite(reference))
                {
                    written.Add(reference.Local);
                }
            }

            return new BodyLocals(references, written);
        }
    }
}
