using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The few local-variable facts the lifetime rules need, found by one walk over the enclosing body (no data flow):
/// where a value goes after conversions, the body an operation belongs to, and the references to a local.
/// </summary>
internal static class LocalUses
{
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
    public static IEnumerable<ILocalReferenceOperation> References(IOperation root, ILocalSymbol local)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference &&
                SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                yield return reference;
            }
        }
    }

    /// <summary>True when some reference writes the local (assignment, compound assignment, ref/out argument).</summary>
    public static bool IsWrittenAfterDeclaration(IOperation root, ILocalSymbol local)
    {
        foreach (var reference in References(root, local))
        {
            var (value, consumer) = Consumer(reference);
            if (consumer is IAssignmentOperation assignment && assignment.Target == value ||
                consumer is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } ||
                consumer is IIncrementOrDecrementOperation ||
                consumer is ITupleOperation { Parent: IDeconstructionAssignmentOperation deconstruction } tuple && deconstruction.Target == tuple)
            {
                return true;
            }
        }

        return false;
    }

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
}
