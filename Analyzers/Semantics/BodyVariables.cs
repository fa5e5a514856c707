using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The locals and parameters of one body (a method body, constructor, accessor, field initializer, ... with every
/// lambda and local function inside it), each with the facts of <see cref="VariableFacts"/>. One walk per body,
/// cached, so a method with many page-reference calls is not walked once per call.
/// <para>
/// Soundness is by construction: a reference is a <em>read</em> only when its consumer is on a closed list of forms
/// that copy the value (operators, conversions, by-value arguments, initializers of by-value locals, ...); it is a
/// <em>write</em> only when it is the target of an assignment, a compound assignment, an increment or a
/// deconstruction in the variable's own function; anything else — ref/out/in arguments, ref locals and ref returns,
/// <c>&amp;</c>, a write inside a lambda or local function, a declaration form whose write is implicit (pattern, foreach,
/// out var, deconstruction), a consumer the list does not know — makes the variable unanalysable.
/// </para>
/// </summary>
internal sealed class BodyVariables
{
    private static readonly ConditionalWeakTable<IOperation, BodyVariables> ByBody = new();

    private readonly Dictionary<ISymbol, VariableFacts> _facts = new(SymbolEqualityComparer.Default);

    private BodyVariables()
    {
    }

    /// <summary>The facts of the body <paramref name="anyOperation"/> belongs to.</summary>
    public static BodyVariables Of(IOperation anyOperation) => ByBody.GetValue(BodyRoot(anyOperation), Collect);

    /// <summary>The facts of <paramref name="variable"/>; an empty fact set when the body never references it.</summary>
    public VariableFacts Facts(ISymbol variable) =>
        _facts.TryGetValue(variable, out var facts) ? facts : new VariableFacts(variable);

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

    /// <summary>The nearest lambda or local function around <paramref name="operation"/>, or null at member level.</summary>
    public static IMethodSymbol? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return null;
    }

    /// <summary>The lambda or local function that owns <paramref name="variable"/>, or null when a member owns it.</summary>
    public static IMethodSymbol? OwningFunction(ISymbol variable) =>
        variable.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } function
            ? function
            : null;

    private static BodyVariables Collect(IOperation root)
    {
        var body = new BodyVariables();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    body.Classify(local, local.Local);
                    break;
                case IParameterReferenceOperation parameter:
                    body.Classify(parameter, parameter.Parameter);
                    break;
                case IVariableDeclaratorOperation declarator:
                    body.Declare(declarator);
                    break;
            }
        }

        return body;
    }

    private VariableFacts FactsFor(ISymbol variable)
    {
        if (!_facts.TryGetValue(variable, out var facts))
        {
            facts = new VariableFacts(variable);
            _facts.Add(variable, facts);
            if (variable is ILocalSymbol local && !IsDeclaredByStatement(local))
            {
                facts.MarkUnanalysable($"'{local.Name}' is declared by a pattern, an out variable, a deconstruction, a foreach or a catch");
            }
        }

        return facts;
    }

    /// <summary>A local declared by an ordinary declaration statement (also <c>using</c>, <c>for</c>): the declaration
    /// is its first write. Any other declaration form writes it implicitly (pattern, foreach, catch, out var,
    /// deconstruction), so such a local is only ever unanalysable.</summary>
    private void Declare(IVariableDeclaratorOperation declarator)
    {
        var facts = FactsFor(declarator.Symbol);
        if (declarator.Symbol.IsRef)
        {
            facts.MarkUnanalysable($"'{declarator.Symbol.Name}' is a ref local");
        }

        if (declarator.Syntax is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax or ForStatementSyntax or UsingStatementSyntax } })
        {
            if (declarator.GetVariableInitializer()?.Value is { } initializer)
            {
                facts.AddWrite(new VariableWrite(declarator, WriteKind.Declaration, initializer));
            }
        }
        else
        {
            facts.MarkUnanalysable($"'{declarator.Symbol.Name}' gets its value from a foreach or fixed statement");
        }
    }

    private void Classify(IOperation reference, ISymbol variable)
    {
        var facts = FactsFor(variable);
        facts.AddReference(reference);

        var node = reference;
        while (node.Parent is IParenthesizedOperation parenthesized)
        {
            node = parenthesized;
        }

        if (IsByReferenceSyntax(node.Syntax))
        {
            facts.MarkUnanalysable($"'{variable.Name}' is passed or aliased by reference (ref, out, in, ref local, &)");
            return;
        }

        var write = WriteAt(node);
        if (write is not null)
        {
            if (!SymbolEqualityComparer.Default.Equals(EnclosingFunction(reference), OwningFunction(variable)))
            {
                facts.MarkUnanalysable($"'{variable.Name}' is written inside a lambda or local function");
            }
            else
            {
                facts.AddWrite(write);
            }

            return;
        }

        if (!IsRead(node, variable))
        {
            facts.MarkUnanalysable($"'{variable.Name}' is used in a way CowGuard does not follow ({node.Parent?.Kind.ToString() ?? "no consumer"})");
        }
    }

    private static bool IsDeclaredByStatement(ILocalSymbol local)
    {
        if (local.IsConst)
        {
            return true;
        }

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not VariableDeclaratorSyntax)
            {
                return false;
            }
        }

        return local.DeclaringSyntaxReferences.Length > 0;
    }

    /// <summary><c>ref x</c>, <c>out x</c>, <c>in x</c> and <c>&amp;x</c>, read from the syntax (whatever the operation tree
    /// makes of them).</summary>
    private static bool IsByReferenceSyntax(SyntaxNode syntax)
    {
        var parent = syntax.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            RefExpressionSyntax => true,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.AddressOfExpression),
            _ => false,
        };
    }

    /// <summary>The write <paramref name="node"/> is the target of, or null when it is not a write target.</summary>
    private static VariableWrite? WriteAt(IOperation node)
    {
        switch (node.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == node && !assignment.IsRef:
                return new VariableWrite(assignment, WriteKind.Assignment, assignment.Value);
            case ICompoundAssignmentOperation compound when compound.Target == node:
                return new VariableWrite(compound, IsBitwise(compound) ? WriteKind.Compound : WriteKind.Opaque, compound.Value);
            case IIncrementOrDecrementOperation increment:
                return new VariableWrite(increment, WriteKind.Opaque, null);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == node:
                return new VariableWrite(coalesce, WriteKind.Opaque, null);
            case ITupleOperation or IDeclarationExpressionOperation:
                return DeconstructionTarget(node) is { } deconstruction ? new VariableWrite(deconstruction, WriteKind.Opaque, null) : null;
            default:
                return null;
        }
    }

    private static bool IsBitwise(ICompoundAssignmentOperation compound) =>
        compound.OperatorMethod is null &&
        compound.OperatorKind is BinaryOperatorKind.Or or BinaryOperatorKind.And or BinaryOperatorKind.ExclusiveOr &&
        compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity;

    /// <summary>The deconstruction whose target (possibly a nested tuple or declaration) contains <paramref name="node"/>.</summary>
    private static IDeconstructionAssignmentOperation? DeconstructionTarget(IOperation node)
    {
        var current = node;
        while (current.Parent is ITupleOperation or IDeclarationExpressionOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == current ? deconstruction : null;
    }

    /// <summary>The closed list of consumers that copy the value of <paramref name="node"/> and cannot change it.</summary>
    private static bool IsRead(IOperation node, ISymbol variable) => node.Parent switch
    {
        IConversionOperation or IBinaryOperation or IUnaryOperation or IInterpolationOperation or INameOfOperation => true,
        IConditionalOperation conditional => !conditional.IsRef,
        ISwitchExpressionOperation or ISwitchExpressionArmOperation or ISwitchOperation => true,
        IIsPatternOperation or IIsTypeOperation or ICoalesceOperation => true,
        IArgumentOperation argument => argument.Parameter is { RefKind: RefKind.None },
        IVariableInitializerOperation initializer => initializer.Parent is not IVariableDeclaratorOperation { Symbol.IsRef: true },
        ISymbolInitializerOperation => true,
        ISimpleAssignmentOperation assignment => assignment.Value == node && !assignment.IsRef,
        ICompoundAssignmentOperation compound => compound.Value == node,
        ICoalesceAssignmentOperation coalesce => coalesce.Value == node,
        IReturnOperation or IArrayInitializerOperation or IArrayElementReferenceOperation or ITupleOperation => true,
        IInvocationOperation invocation => invocation.Instance == node && CopiesAsReceiver(variable),
        IMemberReferenceOperation member => member.Instance == node && CopiesAsReceiver(variable),
        IConditionalAccessOperation conditionalAccess => conditionalAccess.Operation == node && CopiesAsReceiver(variable),
        ILockOperation or IUsingOperation or IThrowOperation or IAwaitOperation or IForEachLoopOperation => true,
        _ => false,
    };

    /// <summary>A receiver whose member cannot change the variable itself: a reference (the object may change, the
    /// variable not), an enum (its methods run on a boxed copy) or a readonly struct.</summary>
    private static bool CopiesAsReceiver(ISymbol variable)
    {
        var type = variable switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return type switch
        {
            null => false,
            { IsReferenceType: true } => true,
            INamedTypeSymbol { TypeKind: TypeKind.Enum } => true,
            INamedTypeSymbol { IsValueType: true, IsReadOnly: true } => true,
            _ => false,
        };
    }
}
