using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>
/// Runs one scenario instance on a fresh <see cref="Machine"/> of one era, statement by statement, recording the
/// trace slice each statement produced and the result of every <c>expect</c>. Model errors become located
/// <see cref="ScenarioRuntimeException"/>s; the run stops at the first error.
/// </summary>
internal sealed partial class Interpreter
{
    private readonly ScenarioInstance instance;
    private readonly Machine machine;
    private readonly RunOptions options;
    private readonly Scope scope = new();
    private readonly List<CheckResult> checks = [];
    private readonly List<StepRecord> steps = [];

    private Interpreter(ScenarioInstance instance, Machine machine, RunOptions options)
    {
        this.instance = instance;
        this.machine = machine;
        this.options = options;
    }

    public static RunResult Run(ScenarioInstance instance, EraCode era, RunOptions options)
    {
        int pages2M, pages1G;
        try
        {
            pages2M = HugetlbPoolPlan.PagesOf(instance, PageGeometry.PmdSize);
            pages1G = HugetlbPoolPlan.PagesOf(instance, PageGeometry.PudSize);
        }
        catch (ScenarioException e)
        {
            return new RunResult(instance, era, [], [], [], e);
        }

        var machine = new Machine(new MachineOptions
        {
            Era = EraOf(era),
            HugetlbPages2M = pages2M,
            HugetlbPages1G = pages1G,
            CheckInvariants = options.CheckInvariants,
            CheckLockOrder = options.CheckInvariants,
        });
        var interpreter = new Interpreter(instance, machine, options);
        ScenarioException? error = null;
        try
        {
            interpreter.ExecuteBody();
        }
        catch (ScenarioException e)
        {
            error = e;
        }

        return new RunResult(instance, era, interpreter.checks, interpreter.steps, [.. machine.Events], error)
        {
            FinalSnapshot = options.TakeSnapshots ? Snapshots.Take(machine) : null,
        };
    }

    public static Era EraOf(EraCode era) => era switch
    {
        EraCode.M => Era.Mapcount,
        EraCode.F => Era.ForcedCowGup,
        EraCode.R => Era.Refcount,
        _ => Era.AnonExclusive,
    };

    private void ExecuteBody()
    {
        if (instance.Backing?.Definition.Parameter is { } parameter)
        {
            scope.Set(parameter, new NumberValue(instance.Backing.ParameterValue!.Value));
        }

        foreach (var statement in instance.Body)
        {
            if (statement is SetupStatement)
            {
                foreach (var inner in instance.Backing!.Definition.Body)
                {
                    Execute(inner, fromBacking: true);
                }
            }
            else
            {
                Execute(statement, fromBacking: false);
            }
        }
    }

    private void Execute(Statement statement, bool fromBacking)
    {
        var firstEvent = machine.Events.Count;
        try
        {
            var value = Dispatch(statement);
            if (statement.Target is { } target)
            {
                scope.Set(target, value ?? throw new InvalidOperationException($"'{statement.Verb}' bound a target but produced no value"));
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

        var snapshot = options.TakeSnapshots && statement is SnapshotStatement ? Snapshots.Take(machine) : null;
        steps.Add(new StepRecord(statement, fromBacking, firstEvent, machine.Events.Count, snapshot));
    }

    /// <summary>Runs one statement; returns the value it produces (null for statements without one).</summary>
    private Value? Dispatch(Statement statement) => statement switch
    {
        LetStatement let => scope.Evaluate(let.Value),
        ProcessStatement process => new ProcessValue(machine.CreateProcess(process.DisplayName ?? process.Target ?? "process")),
        ForkStatement fork => Fork(fork),
        ExitStatement exit => Do(() => scope.Process(exit.Process).Exit()),
        ThpEnabledStatement thp => Do(() => machine.SetThpMode(scope.Number(thp.Size), ThpModeOf(thp.Setting))),
        HugetlbPoolStatement pool => Do(() => HugetlbPoolPlan.Verify(machine, scope, pool)),
        FileStatement file => CreateFile(file),
        MmapStatement mmap => Mmap(mmap),
        MunmapStatement munmap => Do(() => scope.Process(munmap.Process).Munmap(scope.Number(munmap.Address), scope.Number(munmap.Length))),
        MprotectStatement mprotect => Do(() => scope.Process(mprotect.Process).Mprotect(scope.Number(mprotect.Address), scope.Number(mprotect.Length), ProtOf(mprotect.Protection))),
        MremapStatement mremap => Mremap(mremap),
        FillStatement fill => Do(() => scope.Process(fill.Process).Fill(scope.Number(fill.Address), scope.Number(fill.Length), scope.Byte(fill.Value))),
        MadviseStatement madvise => Do(() => Madvise(madvise)),
        SwapStatement swap => Do(() => Swap(swap)),
        KsmMergeStatement => Do(() => machine.KsmScan()),
        ClearRefsStatement clear => Do(() => scope.Process(clear.Process).ClearSoftDirty()),
        UffdWriteProtectStatement uffd => Do(() => UffdWriteProtect(uffd)),
        GupStatement gup => Gup(gup),
        ReleaseStatement release => Do(() => Release(release)),
        DeviceWriteStatement write => Do(() => DeviceWrite(write)),
        VmspliceStatement vmsplice => Vmsplice(vmsplice),
        IoUringRegisterStatement register => new BufferValue(scope.Process(register.Process).IoUringRegisterBuffer(scope.Number(register.Address), scope.Number(register.Length))),
        IoUringWriteFixedStatement write => Do(() => IoUringWriteFixed(write)),
        IoUringUnregisterStatement unregister => Do(() => scope.Buffer(unregister.Buffer).Unregister()),
        ExpectStatement expect => Do(() => checks.Add(Check(expect))),
        SnapshotStatement => null,
        QueryStatement query => Query(query),
        _ => Unsupported(statement),
    };

    private static Value? Do(Action action)
    {
        action();
        return null;
    }

    private static Value? Unsupported(Statement statement) => throw new ScenarioUnsupportedException(statement.Location, statement.Verb);

    private static ThpMode ThpModeOf(ThpSetting setting) => setting switch
    {
        ThpSetting.Always => ThpMode.Always,
        ThpSetting.Madvise => ThpMode.Madvise,
        _ => ThpMode.Never,
    };

    private static Prot ProtOf(Protection protection) => protection switch
    {
        Protection.ReadWrite => Prot.Read | Prot.Write,
        Protection.Read => Prot.Read,
        _ => Prot.None,
    };
}
