using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// Every remote reference of a program and the one device access that uses it, worked out in one pass over the
/// statements before anything is emitted. While a remote reference is pending, the next statement must be its one
/// use (a device access, or an observable check that reads through it and compares with a value) and the one after
/// that its release. A statement that breaks this, or a remote GUP with flags no system call has, makes the program
/// untranslatable at that statement (<see cref="ProblemAt"/>); a reference never used, at the end (<see cref="Unused"/>).
/// </summary>
internal sealed class RemoteCopyPlan
{
    private readonly Dictionary<BoundStatement, UntranslatableException> _problems = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<BoundStatement, RemoteCopy> _uses = new(ReferenceEqualityComparer.Instance);

    private RemoteCopyPlan()
    {
    }

    /// <summary>The first device access through a remote reference, where the accessor process is started.</summary>
    public BoundStatement? FirstUse { get; private set; }

    /// <summary>A remote reference taken and never used; reported after the last statement.</summary>
    public UntranslatableException? Unused { get; private set; }

    public bool Any => FirstUse is not null || _problems.Count > 0 || Unused is not null;

    public static RemoteCopyPlan Build(BoundProgram program, IReadOnlyDictionary<Symbol, HandleKind> handles, KernelFacts facts)
    {
        var plan = new RemoteCopyPlan();
        RemoteCopy? pending = null;
        var used = false;
        foreach (var statement in program.Statements)
        {
            if (pending is not null && !Admitted(statement, pending, used))
            {
                plan._problems[statement] = pending.HeldAcross(statement);
                return plan; // translation stops at the first problem
            }

            foreach (var step in Steps(statement))
            {
                switch (step)
                {
                    case BoundGup { IsRemote: true } gup:
                        try
                        {
                            (pending, used) = (RemoteCopy.Plan(gup, facts), false);
                        }
                        catch (UntranslatableException e)
                        {
                            plan._problems[statement] = e;
                            return plan;
                        }

                        break;
                    case BoundDeviceRead or BoundDeviceWrite when IsRemote(HandleOf(step), handles):
                        var write = step is BoundDeviceWrite;
                        if (pending is null || used)
                        {
                            plan._problems[statement] = new UntranslatableException(step.Location, "a remote reference is used only once, right after it was taken");
                            return plan;
                        }

                        if (pending.Write != write)
                        {
                            plan._problems[statement] = new UntranslatableException(step.Location, $"'{step.Verb}' through '{pending.Handle}', taken with {pending.Gup.Flags}: the system call for those flags only {(pending.Write ? "writes" : "reads")}");
                            return plan;
                        }

                        used = true;
                        plan._uses[step] = pending;
                        plan.FirstUse ??= step;
                        break;
                    case BoundRelease release when IsRemote(release.Handle, handles):
                        pending = null; // process_vm_*/proc/PID/mem dropped the reference when the copy ended
                        break;
                }
            }
        }

        if (pending is { } unused && !used)
        {
            plan.Unused = new UntranslatableException(unused.Gup.Location, $"the remote reference '{unused.Handle}' is never used by a device_read or device_write, which is what process_vm_readv/writev and /proc/PID/mem do");
        }

        return plan;
    }

    /// <summary>Why the program cannot be translated at <paramref name="statement"/>, if it cannot.</summary>
    public UntranslatableException? ProblemAt(BoundStatement statement) => _problems.GetValueOrDefault(statement);

    /// <summary>The remote copy a device access runs.</summary>
    public RemoteCopy UseAt(BoundStatement access) => _uses[access];

    /// <summary>The statements a statement translates, in order: itself, the operation of a <c>try</c>, the queries of an observable check.</summary>
    private static IEnumerable<BoundStatement> Steps(BoundStatement statement) => statement switch
    {
        BoundTry attempt => [statement, .. Steps(attempt.Operation)],
        BoundExpect { ObservableOnLiveKernel: true } expect => [statement, .. Queries(expect.Left), .. Queries(expect.Right)],
        _ => [statement],
    };

    private static IEnumerable<BoundStatement> Queries(BoundOperand operand) => operand.Match<IEnumerable<BoundStatement>>(_ => [], Steps);

    private static bool Admitted(BoundStatement statement, RemoteCopy copy, bool used) => used
        ? statement is BoundRelease { Handle: BoundVariable released } && released.Symbol.Name == copy.Handle
        : statement switch
        {
            BoundDeviceWrite { Handle: BoundVariable written } => written.Symbol.Name == copy.Handle,
            BoundDeviceRead { Handle: BoundVariable read } => read.Symbol.Name == copy.Handle,
            BoundExpect expect => ReadsOnlyThrough(expect.Left, expect.Right, copy.Handle) || ReadsOnlyThrough(expect.Right, expect.Left, copy.Handle),
            _ => false,
        };

    private static bool ReadsOnlyThrough(BoundOperand device, BoundOperand other, string handle) =>
        device is BoundQueryOperand { Query: BoundDeviceRead { Handle: BoundVariable read } } && read.Symbol.Name == handle && other is BoundValueOperand;

    private static BoundExpression HandleOf(BoundStatement access) => access switch
    {
        BoundDeviceRead read => read.Handle,
        BoundDeviceWrite write => write.Handle,
        _ => throw new ArgumentException("not a device access", nameof(access)),
    };

    private static bool IsRemote(BoundExpression handle, IReadOnlyDictionary<Symbol, HandleKind> handles) =>
        handle is BoundVariable variable && handles.GetValueOrDefault(variable.Symbol.Root) == HandleKind.RemoteCopy;
}
