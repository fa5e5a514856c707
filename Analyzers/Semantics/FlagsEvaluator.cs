using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Evaluates the effective flags of a page-reference call. Constants (literals, const fields and locals, enum casts,
/// checked/parenthesised and | &amp; ^ ~ of constants) come folded from the compiler; on top of that the evaluator
/// follows non-constant | &amp; ^ ~ and conversions bit by bit, recognises [GupFlags] parameters as forwarded, and
/// splits conditional and switch expressions into their possible values, and reads through a local that is never
/// written after its declaration (its initializer is then its only value). Everything else (reassigned locals,
/// fields, calls) is unknown: the evaluator does no data flow, so it stays cheap and never guesses.
/// </summary>
internal static class FlagsEvaluator
{
    /// <summary>Above this many possible values the alternatives are merged bit by bit (less precise, still sound).</summary>
    private const int MaxAlternatives = 16;

    /// <summary>How many never-reassigned locals may be followed in a chain (local initialised from a local ...).</summary>
    private const int MaxLocalDepth = 4;

    public static FlagsVerdict Evaluate(IOperation value, CowGuardSymbols symbols, CancellationToken cancellationToken)
    {
        if (ContainsInvalidCode(value))
        {
            return FlagsVerdict.Invalid;
        }

        return Decide(new Evaluation(symbols, cancellationToken).Alternatives(value, 0));
    }

    /// <summary>One unsafe path is enough for CG0001; otherwise one unprovable path makes the call unprovable.</summary>
    private static FlagsVerdict Decide(ImmutableArray<FlagValue> alternatives)
    {
        var verdict = FlagsVerdict.BreaksCow;
        foreach (var alternative in alternatives)
        {
            switch (alternative.Verdict)
            {
                case FlagsVerdict.WrongSide:
                    return FlagsVerdict.WrongSide;
                case FlagsVerdict.NotProvable:
                    verdict = FlagsVerdict.NotProvable;
                    break;
                case FlagsVerdict.Forwarded when verdict == FlagsVerdict.BreaksCow:
                    verdict = FlagsVerdict.Forwarded;
                    break;
            }
        }

        return verdict;
    }

    /// <summary>One evaluation: the symbols and cancellation token threaded through the recursion.</summary>
    private readonly struct Evaluation
    {
        private readonly CowGuardSymbols _symbols;
        private readonly CancellationToken _cancellationToken;

        public Evaluation(CowGuardSymbols symbols, CancellationToken cancellationToken)
        {
            _symbols = symbols;
            _cancellationToken = cancellationToken;
        }

        public ImmutableArray<FlagValue> Alternatives(IOperation operation, int localDepth)
        {
            if (operation.ConstantValue.HasValue)
            {
                return ConstantBits.TryGetBits(operation.ConstantValue.Value, out var bits)
                    ? ImmutableArray.Create(FlagValue.Constant(bits, _symbols))
                    : ImmutableArray.Create(FlagValue.Unknown);
            }

            switch (operation)
            {
                case IConversionOperation conversion when PreservesBits(conversion, _symbols):
                    return Alternatives(conversion.Operand, localDepth);
                case IDefaultValueOperation:
                    return ImmutableArray.Create(FlagValue.Constant(0, _symbols));
                case IParameterReferenceOperation parameter when IsGupFlagsParameter(parameter.Parameter, _symbols):
                    return ImmutableArray.Create(FlagValue.Forwarded(parameter.Parameter));
                case ILocalReferenceOperation local when localDepth < MaxLocalDepth && SingleValue(local) is { } initializer:
                    return Alternatives(initializer, localDepth + 1);
                case IBinaryOperation { OperatorMethod: null } binary when IsBitwise(binary.OperatorKind):
                    return Combine(
                        Alternatives(binary.LeftOperand, localDepth),
                        Alternatives(binary.RightOperand, localDepth),
                        binary.OperatorKind);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation, OperatorMethod: null } unary:
                    return Map(Alternatives(unary.Operand, localDepth), static v => v.Complement());
                case IConditionalOperation { WhenFalse: not null } conditional:
                    return Union(Alternatives(conditional.WhenTrue, localDepth), Alternatives(conditional.WhenFalse, localDepth));
                case ISwitchExpressionOperation switchExpression:
                    return SwitchArms(switchExpression, localDepth);
                default:
                    return ImmutableArray.Create(FlagValue.Unknown);
            }
        }

        /// <summary>The initializer of a by-value local that nothing writes after its declaration.</summary>
        private IOperation? SingleValue(ILocalReferenceOperation reference)
        {
            var local = reference.Local;
            if (local.IsRef || local.IsConst)
            {
                return null;
            }

            var initializer = LocalUses.InitializerValue(local, reference, _cancellationToken);
            return initializer is not null && !LocalUses.IsWrittenAfterDeclaration(LocalUses.BodyRoot(reference), local)
                ? initializer
                : null;
        }

        private ImmutableArray<FlagValue> SwitchArms(ISwitchExpressionOperation switchExpression, int localDepth)
        {
            var result = ImmutableArray<FlagValue>.Empty;
            foreach (var arm in switchExpression.Arms)
            {
                result = Union(result, Alternatives(arm.Value, localDepth));
            }

            return result.IsEmpty ? ImmutableArray.Create(FlagValue.Unknown) : result;
        }
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

    internal static bool IsGupFlagsParameter(IParameterSymbol parameter, CowGuardSymbols symbols)
    {
        if (parameter.RefKind is RefKind.Out or RefKind.Ref)
        {
            return false;
        }

        foreach (var attribute in parameter.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.GupFlagsAttribute))
            {
                return true;
            }
        }

        return false;
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
