using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>The variables of one run and typed access to expression values: a wrong kind is a located error.</summary>
internal sealed class Scope
{
    private readonly Dictionary<string, Value> variables = new(StringComparer.Ordinal);

    public void Set(string name, Value value) => variables[name] = value;

    public IReadOnlyDictionary<string, Value> Variables => variables;

    public Value Evaluate(Expr expr) => expr switch
    {
        NumberExpr number => new NumberValue(number.Value),
        StringExpr text => new StringValue(text.Value),
        VariableExpr variable => variables.TryGetValue(variable.Name, out var value)
            ? value
            : throw new ScenarioRuntimeException(variable.Location, $"unknown variable '{variable.Name}'"),
        BinaryExpr binary => new NumberValue(Arithmetic(binary)),
        _ => throw new ScenarioRuntimeException(expr.Location, "a '|' flag list is not a value here"),
    };

    public ulong Number(Expr expr) => As<NumberValue>(expr, "a number").Number;

    public int PageCount(Expr expr)
    {
        var count = Number(expr);
        return count is > 0 and <= int.MaxValue
            ? (int)count
            : throw new ScenarioRuntimeException(expr.Location, $"expected a page count from 1 to {int.MaxValue}, found {count}");
    }

    public byte Byte(Expr expr)
    {
        var value = Number(expr);
        return value <= byte.MaxValue ? (byte)value : throw new ScenarioRuntimeException(expr.Location, $"expected a byte value 0..255, found {value}");
    }

    public VmProcess Process(Expr expr) => As<ProcessValue>(expr, "a process").Process;

    public Pipe Pipe(Expr expr) => As<PipeValue>(expr, "a pipe").Pipe;

    public FileValue File(Expr expr) => As<FileValue>(expr, "a file");

    /// <summary>A GUP handle, or the pins behind a registered buffer (both can be read and written by a device).</summary>
    public PageReferenceHandle Handle(Expr expr) => Evaluate(expr) switch
    {
        HandleValue handle => handle.Handle,
        BufferValue buffer => buffer.Buffer.Pins,
        var other => throw new ScenarioRuntimeException(expr.Location, $"expected a page handle, found {other.Kind}"),
    };

    public IoUringFixedBuffer Buffer(Expr expr) => As<BufferValue>(expr, "a registered buffer").Buffer;

    public T As<T>(Expr expr, string expected)
        where T : Value
    {
        var value = Evaluate(expr);
        return value as T ?? throw new ScenarioRuntimeException(expr.Location, $"expected {expected}, found {value.Kind}{Named(expr)}");
    }

    private static string Named(Expr expr) => expr is VariableExpr v ? $" in '{v.Name}'" : string.Empty;

    private ulong Arithmetic(BinaryExpr binary)
    {
        var left = Number(binary.Left);
        var right = Number(binary.Right);
        try
        {
            return binary.Operator switch
            {
                ArithmeticOperator.Add => checked(left + right),
                ArithmeticOperator.Subtract => checked(left - right),
                ArithmeticOperator.Multiply => checked(left * right),
                _ => right == 0 ? throw new ScenarioRuntimeException(binary.Location, "division by zero") : left / right,
            };
        }
        catch (OverflowException)
        {
            throw new ScenarioRuntimeException(binary.Location, $"arithmetic on {left} and {right} leaves the range 0..2^64-1");
        }
    }
}
