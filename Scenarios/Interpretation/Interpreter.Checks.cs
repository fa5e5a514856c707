using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

internal sealed partial class Interpreter
{
    private Value Query(QueryStatement query) => query switch
    {
        ReadStatement read => new BytesValue(ReadRuns(scope.Process(read.Process), scope.Number(read.Address), scope.Number(read.Length))),
        PipeReadStatement pipe => new BytesValue(ReadPipe(scope.Pipe(pipe.Pipe))),
        DeviceReadStatement device => new BytesValue(DeviceRead(scope.Handle(device.Handle))),
        FileReadStatement file => new BytesValue(FileRead(file)),
        PageFactStatement fact => new NumberValue(PageFacts.Read(scope.Process(fact.Process).Inspect(scope.Number(fact.Address)), fact)),
        TryStatement attempt => Try(attempt),
        _ => throw new ScenarioUnsupportedException(query.Location, query.Verb),
    };

    /// <summary>Runs the operation; a fault the model raises becomes the value instead of ending the run.</summary>
    private StringValue Try(TryStatement attempt)
    {
        try
        {
            Dispatch(attempt.Operation);
            return new StringValue("ok");
        }
        catch (VmException e)
        {
            return new StringValue(FaultNames.Of(e));
        }
    }

    private CheckResult Check(ExpectStatement expect)
    {
        var observed = Evaluate(expect.Left);
        var expected = Evaluate(expect.Right);
        var equal = AreEqual(observed, expected, expect);
        var passed = expect.Comparison == Comparison.Equal ? equal : !equal;
        var expectedText = (expect.Comparison == Comparison.NotEqual ? "not " : string.Empty) + expected.Show();
        return new CheckResult(expect.Label, passed, observed.Show(), expectedText, expect.Location);
    }

    private Value Evaluate(Operand operand) => operand switch
    {
        QueryOperand query => Query(query.Query),
        ValueOperand value => scope.Evaluate(value.Value),
        _ => throw new ScenarioRuntimeException(operand.Location, "unknown operand"),
    };

    /// <summary>Bytes compare run by run; bytes against a number mean "every byte is that number".</summary>
    private static bool AreEqual(Value left, Value right, ExpectStatement expect) => (left, right) switch
    {
        (BytesValue a, BytesValue b) => a.Bytes.Equals(b.Bytes),
        (BytesValue a, NumberValue n) => n.Number <= byte.MaxValue ? a.Bytes.IsUniform((byte)n.Number) : throw NotAByte(expect.Right, n),
        (NumberValue n, BytesValue b) => n.Number <= byte.MaxValue ? b.Bytes.IsUniform((byte)n.Number) : throw NotAByte(expect.Left, n),
        (NumberValue a, NumberValue b) => a.Number == b.Number,
        (StringValue a, StringValue b) => a.Text == b.Text,
        _ => throw new ScenarioRuntimeException(expect.Location, $"cannot compare {left.Kind} with {right.Kind}"),
    };

    private static ScenarioRuntimeException NotAByte(Operand operand, NumberValue number) =>
        new(operand.Location, $"bytes can only be compared with a byte value 0..255, found {number.Number}");
}
