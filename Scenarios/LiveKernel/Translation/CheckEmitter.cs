using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// <c>expect</c>: both sides land in slots, then <c>cg_check</c> prints a CHECK line with the check's
/// <see cref="BoundExpect.Index"/>, so each live result maps back to its check. A check the kernel cannot observe
/// emits nothing, its queries included.
/// </summary>
internal static class CheckEmitter
{
    public static Emission Expect(CTranslator t, BoundExpect node)
    {
        if (!node.ObservableOnLiveKernel)
        {
            return Emission.Empty;
        }

        var (left, leftSlot) = Operand(t, node.Left);
        var (right, rightSlot) = Operand(t, node.Right);
        return left.Then(right).Then($"cg_check({node.Index}, {leftSlot}, {(node.Comparison == Comparison.NotEqual ? 1 : 0)}, {rightSlot});");
    }

    private static (Emission Code, int Slot) Operand(CTranslator t, BoundOperand operand) => operand switch
    {
        BoundQueryOperand query => (query.Query.Accept(t), t.Slots.ResultOf(query.Query)),
        BoundValueOperand { Value: BoundVariable { Symbol.IsParameter: false } variable } => (Emission.Empty, t.Slots.Of(variable.Symbol)),
        BoundValueOperand constant => (Emission.Driver($"cg->v[{t.Slots.TemporaryOf(constant)}] = {t.Value(constant.Value)};"), t.Slots.TemporaryOf(constant)),
        _ => throw new ArgumentOutOfRangeException(nameof(operand), operand, "unknown operand"),
    };
}
