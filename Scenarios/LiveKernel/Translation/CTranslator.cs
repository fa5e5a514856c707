using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// The live-kernel backend's front half: translates one bound scenario instance into a C program over
/// cowguard_live.h (compiling and running it is the host's business: <see cref="LiveKernelBackend"/>). Every
/// statement becomes driver code (processes, files, machine knobs, KSM, checks, and everything done through a page
/// reference the driver holds: pipes and io_uring rings) or a step run inside the agent process that acts (memory
/// operations, vmsplice, io_uring registration, uffd-wp, remote copies in an accessor agent). What the program needs
/// beyond the statement itself — slots, agents, how each handle is held, remote copies, KSM — is planned once, up
/// front; the emitters are pure functions of that plan and a node. A step without a system-call equivalent throws
/// <see cref="UntranslatableException"/>; checks a live kernel cannot observe are left out and listed.
/// </summary>
internal sealed class CTranslator : IBoundTreeVisitor<Emission, string>
{
    private CTranslator(BoundProgram program, KernelFacts facts)
    {
        Facts = facts;
        Handles = HandlePlan.Build(program, facts);
        Remote = RemoteCopyPlan.Build(program, Handles.BySymbol, facts);
        Slots = SlotMap.Build(program, Remote.Any);
        Agents = AgentMap.Build(program, Remote.Any);
        Ksm = KsmPlan.Build(program);
    }

    public KernelFacts Facts { get; }

    public SlotMap Slots { get; }

    public AgentMap Agents { get; }

    public HandlePlan Handles { get; }

    public RemoteCopyPlan Remote { get; }

    public KsmPlan Ksm { get; }

    /// <summary>Translates <paramref name="instance"/> into functions named with <paramref name="name"/> (a C identifier).</summary>
    public static CProgram Translate(ScenarioInstance instance, string name, KernelFacts facts)
    {
        var program = instance.Program;
        var translator = new CTranslator(program, facts);
        if (translator.Slots.Names.Count > SlotMap.Capacity)
        {
            throw new UntranslatableException(new SourceLocation(instance.File, 1, 1), $"more than {SlotMap.Capacity} variables (cowguard_live.h CG_MAX_VARS)");
        }

        var emissions = program.Statements.Select(translator.Statement).ToList();
        if (translator.Remote.Unused is { } unused)
        {
            throw unused;
        }

        var checks = program.Checks.Where(c => c.ObservableOnLiveKernel).ToList();
        var dropped = program.Checks.Where(c => !c.ObservableOnLiveKernel).ToList();
        if (checks.Count == 0)
        {
            var location = dropped.Count > 0 ? dropped[0].Location : new SourceLocation(instance.File, 1, 1);
            throw new UntranslatableException(location, "none of its checks can be observed on a live kernel (" + string.Join(", ", dropped.Select(d => $"\"{d.Label}\"")) + ")");
        }

        var source = CProgramAssembler.Render(name, instance.DisplayName, translator.Agents.Count, translator.Slots.Names, emissions);
        return new CProgram(name, source, checks, dropped, emissions.SelectMany(e => e.Needs).ToHashSet());
    }

    /// <summary>A statement where it stands: its location for error messages, then its code.</summary>
    public Emission Statement(BoundStatement statement)
    {
        if (Remote.ProblemAt(statement) is { } problem)
        {
            throw problem;
        }

        return Emission.Driver($"cg_at({statement.Location.Line}, {statement.Location.Column});").Then(statement.Accept(this));
    }

    /// <summary>The slot of the variable an expression names (processes, files, handles are always variables).</summary>
    public int Use(BoundExpression expression) => expression is BoundVariable { Symbol.IsParameter: false } variable
        ? Slots.Of(variable.Symbol)
        : throw new UntranslatableException(expression.Location, "expected a variable assigned earlier");

    /// <summary>A numeric expression as C (uint64_t).</summary>
    public string Number(BoundExpression expression) => expression.Accept(this);

    public string Optional(BoundExpression? expression) => expression is null ? "0" : Number(expression);

    /// <summary>A value to store in a slot: a number or a string (what a 'try' returned).</summary>
    public string Value(BoundExpression expression) => expression.Type == ScenarioType.Text
        ? $"cg_text({expression.Accept(this)})"
        : $"cg_number({Number(expression)})";

    /// <summary>The agent slot of the process an expression names, looked up when the program runs.</summary>
    public string AgentOf(BoundExpression process) => $"cg_process_slot({Use(process)})";

    /// <summary>The slot a statement defines; statements that hand a value to the driver need a name to keep it by.</summary>
    public int Define(BoundStatement statement) => statement.Target is { } target
        ? Slots.Of(target)
        : throw new UntranslatableException(statement.Location, $"'{statement.Verb}' needs a variable to assign");

    public Emission VisitLet(BoundLet node) => Emission.Driver(node.Value is BoundVariable { Symbol.IsParameter: false } source
        ? $"cg->v[{Define(node)}] = cg->v[{Slots.Of(source.Symbol)}];"
        : $"cg->v[{Define(node)}] = {Value(node.Value)};");

    public Emission VisitProcess(BoundProcess node) => ProcessEmitter.Process(this, node);

    public Emission VisitFork(BoundFork node) => ProcessEmitter.Fork(this, node);

    public Emission VisitExit(BoundExit node) => ProcessEmitter.Exit(this, node);

    public Emission VisitMmap(BoundMmap node) => MemoryEmitter.Mmap(this, node);

    public Emission VisitCreateFile(BoundCreateFile node) => MachineEmitter.CreateFile(this, node);

    public Emission VisitMunmap(BoundMunmap node) => MemoryEmitter.Munmap(this, node);

    public Emission VisitMprotect(BoundMprotect node) => MemoryEmitter.Mprotect(this, node);

    public Emission VisitMadvise(BoundMadvise node) => MemoryEmitter.Madvise(this, node);

    public Emission VisitMremap(BoundMremap node) => MemoryEmitter.Mremap(this, node);

    public Emission VisitFill(BoundFill node) => MemoryEmitter.Fill(this, node);

    public Emission VisitSwap(BoundSwap node) => MemoryEmitter.Swap(this, node);

    public Emission VisitKsmMerge(BoundKsmMerge node) => MachineEmitter.KsmMerge(this, node);

    public Emission VisitClearRefs(BoundClearRefs node) => MemoryEmitter.ClearRefs(this, node);

    public Emission VisitUffdWriteProtect(BoundUffdWriteProtect node) => MemoryEmitter.UffdWriteProtect(this, node);

    public Emission VisitThpEnabled(BoundThpEnabled node) => MachineEmitter.ThpEnabled(this, node);

    public Emission VisitHugetlbPool(BoundHugetlbPool node) => MachineEmitter.HugetlbPool(this, node);

    public Emission VisitGup(BoundGup node) => ReferenceEmitter.Gup(this, node);

    public Emission VisitRelease(BoundRelease node) => ReferenceEmitter.Release(this, node);

    public Emission VisitDeviceWrite(BoundDeviceWrite node) => ReferenceEmitter.DeviceWrite(this, node);

    public Emission VisitVmsplice(BoundVmsplice node) => ReferenceEmitter.Vmsplice(this, node);

    public Emission VisitIoUringRegister(BoundIoUringRegister node) => ReferenceEmitter.IoUringRegister(this, node);

    public Emission VisitIoUringWriteFixed(BoundIoUringWriteFixed node) =>
        Emission.Driver($"cg_uring_write_fixed({Use(node.Buffer)}, {Use(node.File)});");

    public Emission VisitIoUringUnregister(BoundIoUringUnregister node) => Emission.Driver($"cg_uring_unregister({Use(node.Buffer)});");

    public Emission VisitSnapshot(BoundSnapshot node) => Emission.Empty;

    public Emission VisitExpect(BoundExpect node) => CheckEmitter.Expect(this, node);

    public Emission VisitRead(BoundRead node) => QueryEmitter.Read(this, node);

    public Emission VisitPipeRead(BoundPipeRead node) => Emission.Driver($"cg->v[{Slots.ResultOf(node)}] = cg_pipe_bytes({Use(node.Pipe)}, 1);");

    public Emission VisitDeviceRead(BoundDeviceRead node) => ReferenceEmitter.DeviceRead(this, node);

    public Emission VisitPagesTaken(BoundPagesTaken node) => ReferenceEmitter.PagesTaken(this, node);

    public Emission VisitFileRead(BoundFileRead node) =>
        Emission.Driver($"cg->v[{Slots.ResultOf(node)}] = cg_file_read({Use(node.File)}, {Number(node.Length)});");

    public Emission VisitPageFact(BoundPageFact node) => QueryEmitter.PageFact(this, node);

    public Emission VisitTry(BoundTry node) => QueryEmitter.Try(this, node);

    public string VisitNumber(BoundNumber node) => CText.Number(node.Value);

    public string VisitString(BoundString node) => CText.Literal(node.Value);

    /// <summary>A backing parameter is a constant; any other variable is read from its slot (checked to hold a number).</summary>
    public string VisitVariable(BoundVariable node) => node.Symbol.IsParameter
        ? CText.Number(node.Symbol.Constant!.Value)
        : $"cg_num({Slots.Of(node.Symbol)})";

    public string VisitArithmetic(BoundArithmetic node) => node.Operator switch
    {
        Syntax.ArithmeticOperator.Divide => $"cg_div({Number(node.Left)}, {Number(node.Right)})",
        Syntax.ArithmeticOperator.Add => $"({Number(node.Left)} + {Number(node.Right)})",
        Syntax.ArithmeticOperator.Subtract => $"({Number(node.Left)} - {Number(node.Right)})",
        Syntax.ArithmeticOperator.Multiply => $"({Number(node.Left)} * {Number(node.Right)})",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.Operator, "unknown operator"),
    };
}
