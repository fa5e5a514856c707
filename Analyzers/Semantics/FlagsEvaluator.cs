using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Evaluates the effective flags of a page-reference call. Constants (literals, const fields and locals, enum casts,
/// checked/parenthesised and | &amp; ^ ~ of constants) come folded from the compiler; on top of that the evaluator
/// follows non-constant | &amp; ^ ~ and conversions bit by bit, splits conditional and switch expressions into their
/// possible values, and reads a local or parameter through the writes that can reach the read: its declaration's
/// initializer when nothing else writes it, otherwise the definitions the function's control-flow graph lets reach
/// (<see cref="ReachingDefinitions"/>). A parameter's value on entry is "forwarded" only for a [GupFlags] parameter
/// whose callers are all checked (<see cref="PageReferenceApiCatalog.ForwardingProblem"/>). Everything else — fields,
/// properties, calls, a variable whose address is taken or that a lambda writes — is unknown, with the reason.
/// </summary>
internal static class FlagsEvaluator
{
    /// <summary>Above this many possible values the alternatives are merged bit by bit (less precise, still sound).</summary>
    private const int MaxAlternatives = 16;

    /// <summary>How many variable reads may be followed in a chain (a local initialised from a local ...).</summary>
    private const int MaxReadDepth = 16;

    public static (FlagsVerdict Verdict, string? Reason) Evaluate(IOperation value, PageReferenceApiCatalog catalog, CancellationToken cancellationToken)
    {
        if (ContainsInvalidCode(value))
        {
            return (FlagsVerdict.Invalid, null);
        }

        return Decide(new Evaluation(catalog, cancellationToken).Alternatives(value, 0));
    }

    /// <summary>One unsafe path is enough for CG0001; otherwise one unprovable path makes the call unprovable.</summary>
    private static (FlagsVerdict, string?) Decide(ImmutableArray<FlagValue> alternatives)
    {
        if (alternatives.IsEmpty)
        {
            return (FlagsVerdict.NotProvable, "no value of the flags could be followed");
        }

        var verdict = FlagsVerdict.BreaksCow;
        string? reason = null;
        foreach (var alternative in alternatives)
        {
            switch (alternative.Verdict)
            {
                case FlagsVerdict.WrongSide:
                    return (FlagsVerdict.WrongSide, null);
                case FlagsVerdict.NotProvable:
                    verdict = FlagsVerdict.NotProvable;
                    reason ??= alternative.Reason ?? (alternative.ForwardedFrom is { } parameter
                        ? $"the [GupFlags] parameter '{parameter.Name}' is not passed on unchanged (a break-COW bit is masked, complemented or mixed with an unknown value)"
                        : null);
                    break;
                case FlagsVerdict.Forwarded when verdict == FlagsVerdict.BreaksCow:
                    verdict = FlagsVerdict.Forwarded;
                    break;
            }
        }

        return (verdict, verdict == FlagsVerdict.NotProvable ? reason ?? "the flags depend on a value CowGuard does not evaluate" : null);
    }

    /// <summary>One evaluation: the catalog and cancellation token threaded through the recursion, and the values of the
    /// writes already evaluated (a write reached twice is evaluated once; a write reached from itself, through a loop,
    /// is unknown).</summary>
    private sealed class Evaluation
    {
        private readonly PageReferenceApiCatalog _catalog;
        private readonly CowGuardSymbols _symbols;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<VariableWrite, ImmutableArray<FlagValue>?> _writeValues = new();

        public Evaluation(PageReferenceApiCatalog catalog, CancellationToken cancellationToken)
        {
            _catalog = catalog;
            _symbols = catalog.Symbols;
            _cancellationToken = cancellationToken;
        }

        public ImmutableArray<FlagValue> Alternatives(IOperation operation, int depth)
        {
            if (operation.ConstantValue.HasValue)
            {
                return ConstantBits.TryGetBits(operation.ConstantValue.Value, out var bits)
                    ? ImmutableArray.Create(FlagValue.Constant(bits, _symbols))
                    : Unknown("the flags are a constant of an unexpected type");
            }

            switch (operation)
            {
                case IConversionOperation conversion when PreservesBits(conversion, _symbols):
                    return Alternatives(conversion.Operand, depth);
                case IConversionOperation:
                    return Unknown("a conversion may drop the break-COW bits");
                case IDefaultValueOperation:
                    return ImmutableArray.Create(FlagValue.Constant(0, _symbols));
                case ILocalReferenceOperation local:
                    return Read(local, local.Local, depth);
                case IParameterReferenceOperation parameter:
                    return Read(parameter, parameter.Parameter, depth);
                case IBinaryOperation { OperatorMethod: null } binary when IsBitwise(binary.OperatorKind):
                    return Combine(
                        Alternatives(binary.LeftOperand, depth),
                        Alternatives(binary.RightOperand, depth),
                        binary.OperatorKind);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation, OperatorMethod: null } unary:
                    return Map(Alternatives(unary.Operand, depth), static v => v.Complement());
                case IConditionalOperation { WhenFalse: not null, IsRef: false } conditional:
                    return Union(Alternatives(conditional.WhenTrue, depth), Alternatives(conditional.WhenFalse, depth));
                case ISwitchExpressionOperation switchExpression:
                    return SwitchArms(switchExpression, depth);
                case ISimpleAssignmentOperation { IsRef: false } assignment:
                    return Alternatives(assignment.Value, depth);
                case IFieldReferenceOperation field:
                    return Unknown($"'{field.Field.Name}' is a field, which code outside this method can change");
                case IPropertyReferenceOperation property:
                    return Unknown($"'{property.Property.Name}' is a property, whose value CowGuard does not follow");
                case IInvocationOperation invocation:
                    return Unknown($"the flags are the result of '{invocation.TargetMethod.Name}'");
                default:
                    return Unknown($"the flags come from an expression CowGuard does not evaluate ({operation.Kind})");
            }
        }

        /// <summary>The values a local or parameter can have at <paramref name="read"/>.</summary>
        private ImmutableArray<FlagValue> Read(IOperation read, ISymbol variable, int depth)
        {
            if (depth >= MaxReadDepth)
            {
                return Unknown($"'{variable.Name}' is computed through too many variables");
            }

            if (variable is ILocalSymbol { IsRef: true })
            {
                return Unknown($"'{variable.Name}' is a ref local, an alias of another variable");
            }

            var facts = BodyVariables.Of(read).Facts(variable);
            if (facts.Unanalysable is { } reason)
            {
                return Unknown(reason);
            }

            if (facts.IsNeverReassigned)
            {
                return variable is IParameterSymbol parameter
                    ? EntryValue(parameter)
                    : facts.SingleValue is { } initializer ? Alternatives(initializer, depth + 1) : Unknown($"'{variable.Name}' has no value CowGuard can see");
            }

            var owner = BodyVariables.OwningFunction(variable);
            if (!SymbolEqualityComparer.Default.Equals(BodyVariables.EnclosingFunction(read), owner))
            {
                return Unknown($"'{variable.Name}' is reassigned and read inside a lambda or local function, which may run at any time");
            }

            var graph = FlowGraph.Of(read, owner, _cancellationToken);
            var reaching = graph?.Reaching(facts);
            var position = graph?.Locate(read);
            var writes = reaching is null || position is null
                ? null
                : reaching.At(position.Value, write => write.Value is { } value && value.Syntax.Span.Contains(read.Syntax.Span) && value.Syntax.SyntaxTree == read.Syntax.SyntaxTree);
            if (writes is null || writes.Count == 0)
            {
                return Unknown($"'{variable.Name}' is written where CowGuard cannot follow the control flow");
            }

            return WritesValue(writes, reaching!, variable, depth);
        }

        private ImmutableArray<FlagValue> WritesValue(IReadOnlyList<VariableWrite?> writes, ReachingDefinitions reaching, ISymbol variable, int depth)
        {
            var result = ImmutableArray<FlagValue>.Empty;
            foreach (var write in writes)
            {
                result = Union(result, write is null ? EntryValue((IParameterSymbol)variable) : WriteValue(write, reaching, variable, depth));
            }

            return result;
        }

        /// <summary>The value a write gives its variable.</summary>
        private ImmutableArray<FlagValue> WriteValue(VariableWrite write, ReachingDefinitions reaching, ISymbol variable, int depth)
        {
            if (_writeValues.TryGetValue(write, out var known))
            {
                return known ?? Unknown($"'{variable.Name}' is changed in a loop");
            }

            _writeValues[write] = null;
            _cancellationToken.ThrowIfCancellationRequested();
            ImmutableArray<FlagValue> value;
            switch (write.Kind)
            {
                case WriteKind.Declaration or WriteKind.Assignment:
                    value = Alternatives(write.Value!, depth + 1);
                    break;
                case WriteKind.Compound:
                    var before = reaching.At(reaching.PositionOf(write), other => other == write);
                    value = before is null || before.Count == 0
                        ? Unknown($"'{variable.Name}' is written where CowGuard cannot follow the control flow")
                        : Combine(WritesValue(before, reaching, variable, depth + 1), Alternatives(write.Value!, depth + 1), write.CompoundOperator);
                    break;
                default:
                    value = Unknown($"'{variable.Name}' is changed by ++, --, ??=, an arithmetic compound assignment or a deconstruction");
                    break;
            }

            _writeValues[write] = value;
            return value;
        }

        /// <summary>The value of a parameter when the method starts: forwarded for a trusted [GupFlags] parameter.</summary>
        private ImmutableArray<FlagValue> EntryValue(IParameterSymbol parameter) =>
            _catalog.ForwardingProblem(parameter) is { } problem
                ? Unknown(problem)
                : ImmutableArray.Create(FlagValue.Forwarded(parameter));

        private ImmutableArray<FlagValue> SwitchArms(ISwitchExpressionOperation switchExpression, int depth)
        {
            var result = ImmutableArray<FlagValue>.Empty;
            foreach (var arm in switchExpression.Arms)
            {
                result = Union(result, Alternatives(arm.Value, depth));
            }

            return result.IsEmpty ? Unknown("a switch expression without arms") : result;
        }

        private static ImmutableArray<FlagValue> Unknown(string reason) => ImmutableArray.Create(FlagValue.Unknown(reason));
    }

    private static bool IsBitwise(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.Or or BinaryOperatorKind.And or BinaryOperatorKind.ExclusiveOr;

    /// <summary>Enum and integer conversions that keep both break-COW bits (no user-defined operator, no truncation
    /// below the width of the bits).</summary>
    private static bool PreservesBits(IConversionOperation conversion, CowGuardSymbols symbols) =>
        conversion.OperatorMethod is null &&
        IsWideEnough(conversion.Type, symbols) &&
        IsWideEnough(conversion.Operand.Type, symbols);

    private static bool IsWideEnough(ITypeSymbol? type, CowGuardSymbols symbols)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            type = underlying;
        }

        var highestBit = symbols.WriteBit | symbols.BreakCowBit;
        return type?.SpecialType switch
        {
            SpecialType.System_Int64 or SpecialType.System_UInt64 => true,
            SpecialType.System_Int32 or SpecialType.System_UInt32 => highestBit <= uint.MaxValue,
            _ => false,
        };
    }

    private static ImmutableArray<FlagValue> Combine(
        ImmutableArray<FlagValue> left, ImmutableArray<FlagValue> right, BinaryOperatorKind kind)
    {
        var builder = ImmutableArray.CreateBuilder<FlagValue>(left.Length * right.Length);
        foreach (var l in left)
        {
            foreach (var r in right)
            {
                builder.Add(kind switch
                {
                    BinaryOperatorKind.Or => FlagValue.Or(l, r),
                    BinaryOperatorKind.And => FlagValue.And(l, r),
                    _ => FlagValue.Xor(l, r),
                });
            }
        }

        return Bounded(builder.MoveToImmutable());
    }

    private static ImmutableArray<FlagValue> Map(ImmutableArray<FlagValue> values, System.Func<FlagValue, FlagValue> map)
    {
        var builder = ImmutableArray.CreateBuilder<FlagValue>(values.Length);
        foreach (var value in values)
        {
            builder.Add(map(value));
        }

        return builder.MoveToImmutable();
    }

    private static ImmutableArray<FlagValue> Union(ImmutableArray<FlagValue> first, ImmutableArray<FlagValue> second) =>
        Bounded(first.AddRange(second));

    /// <summary>Keeps the alternative count bounded: past the limit the alternatives are joined bit by bit (a bit that
    /// differs between them becomes Unknown), which over-approximates and so stays sound under later operators.</summary>
    private static ImmutableArray<FlagValue> Bounded(ImmutableArray<FlagValue> values)
    {
        if (values.Length <= MaxAlternatives)
        {
            return values;
        }

        var joined = values[0];
        foreach (var value in values)
        {
            joined = FlagValue.Join(joined, value);
        }

        return ImmutableArray.Create(joined);
    }

    private static bool ContainsInvalidCode(IOperation value)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IInvalidOperation || operation.Type is { TypeKind: TypeKind.Error })
            {
                return true;
            }
        }

        return false;
    }
}
