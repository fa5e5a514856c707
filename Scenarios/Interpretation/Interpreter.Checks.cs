using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Checks and <c>try</c>.</summary>
internal sealed partial class Interpreter
{
    /// <summary>Runs the operation; a fault the model raises becomes the value instead of ending the run.</summary>
    public Value? VisitTry(BoundTry node)
    {
        try
        {
            node.Operation.Accept(this);
            return new StringValue("ok");
        }
        catch (VmException e)
        {
            return new StringValue(FaultNames.Of(e));
        }
    }

    public Value? VisitExpect(BoundExpect node) => Done(() => _checks.Add(Check(node)));

    private CheckResult Check(BoundExpect expect)
    {
        var observed = Evaluate(expect.Left);
        var expected = Evaluate(expect.Right);
        var equal = AreEqual(observed, expected, expect);
        var passed = expect.Comparison == Comparison.Equal ? equal : !equal;
        var expectedText = (expect.Comparison == Comparison.NotEqual ? "not " : string.Empty) + expected.Show();
        return new CheckResult(expect, passed, observed.Show(), expectedText);
    }

    private Value Evaluate(BoundOperand operand) => operand.Match(Evaluate, query => query.Accept(this)!);

    /// <summary>Bytes compare run by run; bytes against a number mean "every byte is that number".</summary>
    private static bool AreEqual(Value left, Value right, BoundExpect expect) => (left, right) switch
    {
        (BytesValue a, BytesValue b) => a.Bytes.Equals(b.Bytes),
        (BytesValue a, NumberValue n) => n.Number <= byte.MaxValue ? a.Bytes.IsUniform((byte)n.Number) : throw NotAByte(expect.Right, n),
        (NumberValue n, BytesValue b) => n.Number <= byte.MaxValue ? b.Bytes.IsUniform((byte)n.Number) : throw NotAByte(expect.Left, n),
        (NumberValue a, NumberValue b) => a.Number == b.Number,
        (StringValue a, StringValue b) => a.Text == b.Text,
        _ => throw new InvalidOperationException($"the binder let {left.GetType().Name} and {right.GetType().Name} be compared"),
    };

    private static ScenarioRuntimeException NotAByte(BoundOperand operand, NumberValue number) =>
        new(operand.Location, $"bytes can only be compared with a byte value 0..255, found {number.Number}");
}
