using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>
/// The model backend: runs one bound scenario instance on a fresh <see cref="Machine"/> of one era, statement by
/// statement, recording the trace slice each statement produced and the result of every <c>expect</c>. Model errors
/// become located <see cref="ScenarioRuntimeException"/>s; the run stops at the first error. Kinds and constants were
/// checked when the file was loaded; only values known at run time (addresses, page facts) are checked here.
/// </summary>
internal sealed partial class Interpreter : IBoundTreeVisitor<Value?, Value>
{
    private readonly Machine _machine;
    private readonly RunOptions _options;
    private readonly Scope _scope = new();
    private readonly List<CheckResult> _checks = [];
    private readonly List<StepRecord> _steps = [];

    private Interpreter(Machine machine, RunOptions options)
    {
        _machine = machine;
        _options = options;
    }

    public static RunResult Run(ScenarioInstance instance, Era era, RunOptions options)
    {
        var machine = new Machine(new MachineOptions
        {
            Era = era,
            HugetlbPages2M = instance.Program.HugetlbPages(PageGeometry.PmdSize),
            HugetlbPages1G = instance.Program.HugetlbPages(PageGeometry.PudSize),
            CheckInvariants = options.CheckInvariants,
            CheckLockOrder = options.CheckInvariants,
        });
        var interpreter = new Interpreter(machine, options);
        ScenarioException? error = null;
        try
        {
            foreach (var statement in instance.Program.Statements)
            {
                interpreter.Execute(statement);
            }
        }
        catch (ScenarioException e)
        {
            error = e;
        }

        return new RunResult(instance, era, interpreter._checks, interpreter._steps, [.. machine.Events], error)
        {
            FinalSnapshot = options.TakeSnapshots ? Snapshots.Take(machine) : null,
        };
    }

    private void Execute(BoundStatement statement)
    {
        var firstEvent = _machine.Events.Count;
        Value? value;
        try
        {
            value = statement.Accept(this);
            if (statement.Target is { } target)
            {
                _scope.Set(target, value ?? throw new InvalidOperationException($"'{statement.Verb}' defines '{target.Name}' but produced no value"));
            }
        }
        catch (VmException e)
        {
            throw new ScenarioRuntimeException(statement.Location, $"{statement.Verb}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ScenarioRuntimeException(statement.Location, $"{statement.Verb}: {e.Message}", e);
        }

        var snapshot = _options.TakeSnapshots && statement is BoundSnapshot ? Snapshots.Take(_machine) : null;
        _steps.Add(new StepRecord(statement, firstEvent, _machine.Events.Count, snapshot) { Outcome = statement is BoundTry ? value : null });
    }

    private Value Evaluate(BoundExpression expression) => expression.Accept(this);

    private VmProcess Process(BoundExpression expression) => Scope.As<ProcessValue>(Evaluate(expression)).Process;

    private ulong Number(BoundExpression expression) => Scope.As<NumberValue>(Evaluate(expression)).Number;

    /// <summary>A byte value computed while running (a constant one was checked at load time).</summary>
    private byte Byte(BoundExpression expression)
    {
        var value = Number(expression);
        return value <= byte.MaxValue ? (byte)value : throw new ScenarioRuntimeException(expression.Location, $"expected a byte value 0..255, found {value}");
    }

    private static Value? Done(Action action)
    {
        action();
        return null;
    }

    public Value? VisitLet(BoundLet node) => Evaluate(node.Value);

    public Value? VisitProcess(BoundProcess node) => new ProcessValue(_machine.CreateProcess(node.DisplayName ?? node.Target?.Name ?? "process"));

    public Value? VisitFork(BoundFork node) => new ProcessValue(Process(node.Parent).Fork(node.Target?.Name));

    public Value? VisitExit(BoundExit node) => Done(() => Process(node.Process).Exit());

    public Value? VisitThpEnabled(BoundThpEnabled node) => Done(() => _machine.SetThpMode(Number(node.Size), ThpModeOf(node.Setting)));

    /// <summary>The pool was sized when the machine booted (<see cref="BoundProgram.HugetlbPages"/>); the line confirms it.</summary>
    public Value? VisitHugetlbPool(BoundHugetlbPool node) => Done(() =>
    {
        var pool = node.PageSize == PageGeometry.PmdSize ? _machine.HugetlbPool2M : _machine.HugetlbPool1G;
        if ((ulong)pool.Total != node.Pages)
        {
            throw new ScenarioRuntimeException(node.Location, $"nr_hugepages is applied at boot: the pool has {pool.Total} pages, not {node.Pages}");
        }
    });

    public Value? VisitKsmMerge(BoundKsmMerge node) => Done(() => _machine.KsmScan());

    public Value? VisitSnapshot(BoundSnapshot node) => null;

    public Value VisitNumber(BoundNumber node) => new NumberValue(node.Value);

    public Value VisitString(BoundString node) => new StringValue(node.Value);

    public Value VisitVariable(BoundVariable node) => _scope.Get(node.Symbol);

    public Value VisitArithmetic(BoundArithmetic node)
    {
        var (left, right) = (Number(node.Left), Number(node.Right));
        return Binding.Arithmetic.Apply(left, node.Operator, right) is { } value
            ? new NumberValue(value)
            : throw new ScenarioRuntimeException(node.Location, node.Operator == Syntax.ArithmeticOperator.Divide ? "division by zero" : Binding.Arithmetic.OutOfRange(left, right));
    }

    private static ThpMode ThpModeOf(ThpSetting setting) => setting switch
    {
        ThpSetting.Always => ThpMode.Always,
        ThpSetting.Madvise => ThpMode.Madvise,
        _ => ThpMode.Never,
    };
}
