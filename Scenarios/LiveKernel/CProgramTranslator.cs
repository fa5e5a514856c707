using System.Globalization;
using System.Text;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;
using Advice = CowGuard.Scenarios.Ast.Advice;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>
/// Translates one scenario instance into a C program over cowguard_live.h. Every statement becomes either a driver
/// statement (processes, files, machine knobs, KSM, checks, and everything done through a page reference the
/// driver holds: pipes and io_uring rings) or a numbered step run inside the agent process that acts (memory
/// operations, vmsplice, io_uring registration, uffd-wp, and remote copies in an accessor agent). Steps that have
/// no system-call equivalent throw <see cref="UntranslatableException"/>; checks on facts a live kernel does not
/// expose are left out and listed.
/// </summary>
internal sealed partial class CProgramTranslator
{
    private readonly StringBuilder steps = new();
    private readonly StringBuilder driver = new();
    private readonly Dictionary<string, int> variables = new(StringComparer.Ordinal);
    private readonly List<string> names = [];
    private readonly Dictionary<string, HandleKind> handles = new(StringComparer.Ordinal);
    private readonly HashSet<string> unobservable = new(StringComparer.Ordinal);
    private readonly HashSet<string> pageFrames = new(StringComparer.Ordinal);
    private readonly HashSet<string> mergeable = new(StringComparer.Ordinal); // processes whose mm ksmd scans
    private readonly List<ExpectStatement> checks = [];
    private readonly List<ExpectStatement> dropped = [];
    private readonly HashSet<KernelFeature> needs = [];
    private readonly ScenarioInstance instance;
    private readonly KernelFacts facts;
    private int stepCount;
    private int agentCount;
    private bool inBacking;
    private int? pendingTry;

    private CProgramTranslator(ScenarioInstance instance, KernelFacts facts)
    {
        this.instance = instance;
        this.facts = facts;
    }

    /// <summary>Translates <paramref name="instance"/> into functions named with <paramref name="name"/> (a C identifier).</summary>
    public static CProgram Translate(ScenarioInstance instance, string name, KernelFacts facts)
    {
        var translator = new CProgramTranslator(instance, facts);
        foreach (var statement in instance.Body)
        {
            translator.Statement(statement);
        }

        if (translator.remoteCopy is { Used: false } unused)
        {
            throw new UntranslatableException(unused.Gup.Location, $"the remote reference '{unused.Handle}' is never used by a device_read or device_write, which is what process_vm_readv/writev and /proc/PID/mem do");
        }

        if (translator.checks.Count == 0)
        {
            var location = translator.dropped.Count > 0 ? translator.dropped[0].Location : new SourceLocation(instance.File, 1, 1);
            throw new UntranslatableException(location, "none of its checks can be observed on a live kernel (" + string.Join(", ", translator.dropped.Select(d => $"\"{d.Label}\"")) + ")");
        }

        return new CProgram(name, translator.Render(name), translator.checks, translator.dropped, translator.needs);
    }

    /// <summary>
    /// The instance as two C functions, <c>steps_NAME</c> (the agents' steps) and <c>run_NAME</c> (the driver), so
    /// several instances of one scenario file compile into one program (<see cref="CProgramBatch"/>).
    /// </summary>
    private string Render(string name)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"/* {instance.DisplayName} */");
        text.AppendLine(CultureInfo.InvariantCulture, $"static void steps_{name}(int step)");
        text.AppendLine("{");
        text.AppendLine("\tswitch (step) {");
        text.Append(steps);
        text.AppendLine("\tdefault: cg_error(\"unknown step %d\", step);");
        text.AppendLine("\t}");
        text.AppendLine("}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"static void run_{name}(void)");
        text.AppendLine("{");
        text.AppendLine(CultureInfo.InvariantCulture, $"\tcg_init({Math.Max(agentCount, 1)}, steps_{name});");
        for (var i = 0; i < names.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\tcg_var_names[{i}] = \"{names[i]}\";");
        }

        text.Append(driver);
        text.AppendLine("\tcg_finish();");
        text.AppendLine("}");
        return text.ToString();
    }

    private void Statement(Statement statement)
    {
        AdmitWhileRemoteCopyPending(statement);
        driver.AppendLine(CultureInfo.InvariantCulture, $"\tcg_at({statement.Location.Line}, {statement.Location.Column});");
        switch (statement)
        {
            case ProcessStatement:
                Driver($"cg_new_process({Define(statement)}, {agentCount++});");
                break;
            case ForkStatement fork:
                if (fork.Parent is VariableExpr { Name: var parent } && mergeable.Contains(parent))
                {
                    mergeable.Add(statement.Target!); // ksm_fork: the child's mm joins ksmd's list
                }

                var childSlot = agentCount++;
                Agent(fork.Parent, $"cg_fork_here({Define(statement)}, {childSlot});");
                Driver($"cg_forked({childSlot});");
                break;
            case ExitStatement exit:
                Driver($"cg_exit_process({Use(exit.Process)});");
                if (exit.Process is VariableExpr { Name: var exited })
                {
                    mergeable.Remove(exited); // ksm_exit
                }

                break;
            case LetStatement let:
                Driver(let.Value is VariableExpr source ? $"cg->v[{Define(statement)}] = cg->v[{Use(source)}];" : $"cg->v[{Define(statement)}] = {Constant(let.Value)};");
                if (let.Value is VariableExpr alias && unobservable.Contains(alias.Name))
                {
                    unobservable.Add(statement.Target!);
                }

                if (let.Value is VariableExpr frame && pageFrames.Contains(frame.Name))
                {
                    pageFrames.Add(statement.Target!);
                }

                if (let.Value is VariableExpr same && mergeable.Contains(same.Name))
                {
                    mergeable.Add(statement.Target!);
                }

                break;
            case ThpEnabledStatement thp:
                Driver($"cg_thp_enabled({Number(thp.Size)}, \"{thp.Setting.ToString().ToLowerInvariant()}\");");
                break;
            case HugetlbPoolStatement pool:
                Driver($"cg_nr_hugepages({Number(pool.Size)}, {Number(pool.Count)});");
                break;
            case FileStatement file:
                Driver(file.Kind == FileKind.Memfd
                    ? $"cg->v[{Define(statement)}] = cg_memfd({Number(file.Length)}, {Optional(file.HugetlbSize)});"
                    : $"cg->v[{Define(statement)}] = cg_tmpfile({Number(file.Length)});");
                break;
            case SnapshotStatement:
                break;
            case SetupStatement setup:
                Setup(setup);
                break;
            case ExpectStatement expect:
                Expect(expect);
                break;
            case QueryStatement query:
                Query(query, statement.Target is null ? Temporary() : Define(statement));
                break;
            default:
                MemoryStatement(statement);
                break;
        }
    }

    private void MemoryStatement(Statement statement)
    {
        switch (statement)
        {
            case MmapStatement mmap:
                var file = mmap.File is null ? "-1" : Use(mmap.File).ToString(CultureInfo.InvariantCulture);
                Agent(mmap.Process, $"cg->v[{Define(statement)}] = cg_number(cg_mmap({Number(mmap.Length)}, {Prot(mmap.Protection)}, {(mmap.Shared ? 1 : 0)}, {file}, {Optional(mmap.HugetlbSize)}, {Optional(mmap.Align)}));");
                break;
            case MunmapStatement munmap:
                Agent(munmap.Process, $"cg_munmap({Number(munmap.Address)}, {Number(munmap.Length)});");
                break;
            case MprotectStatement mprotect:
                Agent(mprotect.Process, $"cg_mprotect({Number(mprotect.Address)}, {Number(mprotect.Length)}, {Prot(mprotect.Protection)});");
                break;
            case MadviseStatement madvise:
                if (madvise.Advice == Advice.PageOut)
                {
                    needs.Add(KernelFeature.Swap);
                }

                if (madvise.Advice is Advice.Mergeable or Advice.Unmergeable)
                {
                    needs.Add(KernelFeature.Ksm);
                }

                if (madvise.Advice == Advice.Mergeable && madvise.Process is VariableExpr { Name: var merging })
                {
                    mergeable.Add(merging); // __ksm_enter: the mm joins ksmd's list
                }

                Agent(madvise.Process, $"cg_madvise({Number(madvise.Address)}, {Number(madvise.Length)}, {AdviceConstant(madvise)}, \"{madvise.Advice}\", {(inBacking ? 1 : 0)});");
                break;
            case MremapStatement mremap:
                var call = $"cg_mremap({Number(mremap.Address)}, {Number(mremap.OldLength)}, {Number(mremap.NewLength)}, {(mremap.FixedAddress is null ? 0 : 1)}, {Optional(mremap.FixedAddress)})";
                Agent(mremap.Process, statement.Target is null ? $"(void){call};" : $"cg->v[{Define(statement)}] = cg_number({call});");
                break;
            case FillStatement fill:
                Agent(fill.Process, $"cg_fill({Number(fill.Address)}, {Number(fill.Length)}, {Number(fill.Value)});");
                break;
            case SwapStatement swap:
                needs.Add(KernelFeature.Swap);
                Agent(swap.Process, swap.Out
                    ? $"cg_madvise({Number(swap.Address)}, {Number(swap.Length)}, MADV_PAGEOUT, \"PageOut\", {(inBacking ? 1 : 0)});"
                    : $"cg_swap_in({Number(swap.Address)}, {Number(swap.Length)});");
                break;
            case ClearRefsStatement clear:
                needs.Add(KernelFeature.SoftDirty);
                Agent(clear.Process, "cg_clear_refs();");
                break;
            case KsmMergeStatement:
                // ksmd never runs while no mm is on its list (ksmd_should_run), so full_scans would not move.
                needs.Add(KernelFeature.Ksm);
                Driver(mergeable.Count > 0 ? "cg_ksm_merge();" : "/* ksm_merge: no live process has a MADV_MERGEABLE area, nothing to scan */");
                break;
            case UffdWriteProtectStatement uffd:
                needs.Add(KernelFeature.Userfaultfd);
                Agent(uffd.Process, $"cg_uffd_wp({Number(uffd.Address)}, {Number(uffd.Length)}, {(uffd.Protect ? 1 : 0)});");
                break;
            default:
                ReferenceStatement(statement);
                break;
        }
    }

    /// <summary>Runs a query and stores its value in variable <paramref name="into"/> (unobservable page facts store nothing).</summary>
    private void Query(QueryStatement query, int into)
    {
        switch (query)
        {
            case ReadStatement read:
                Agent(read.Process, $"cg->v[{into}] = cg_read({Number(read.Address)}, {Number(read.Length)});");
                break;
            case PipeReadStatement pipeRead:
                Driver($"cg->v[{into}] = cg_pipe_bytes({Use(pipeRead.Pipe)}, 1);");
                break;
            case DeviceReadStatement deviceRead:
                DeviceRead(deviceRead, into);
                break;
            case FileReadStatement fileRead:
                Driver($"cg->v[{into}] = cg_file_read({Use(fileRead.File)}, {Number(fileRead.Length)});");
                break;
            case PageFactStatement { Fact: PageFact.Present or PageFact.Swapped } fact:
                var bit = fact.Fact == PageFact.Present ? "CG_PM_PRESENT" : "CG_PM_SWAPPED";
                Agent(fact.Process, $"cg->v[{into}] = cg_number(cg_pagemap_bit({Number(fact.Address)}, {bit}));");
                break;
            case PageFactStatement { Fact: PageFact.Pfn } frame:
                // Page frame numbers are the kernel's own: only whether two of them are equal can be compared.
                needs.Add(KernelFeature.PageFrameNumbers);
                Agent(frame.Process, $"cg->v[{into}] = cg_number(cg_pfn({Number(frame.Address)}));");
                if (query.Target is not null)
                {
                    pageFrames.Add(query.Target);
                }

                break;
            case TryStatement attempt:
                // The operation's own step runs under CG_TRY: a fault or failing system call becomes the value.
                pendingTry = into;
                Statement(attempt.Operation);
                if (pendingTry is not null)
                {
                    throw new UntranslatableException(attempt.Location, $"'try' around '{attempt.Operation.Verb}', which does not run inside a process");
                }

                break;
            case PageFactStatement:
                // refcount, mapcount, pincount, PageAnonExclusive and PTE writability are not exported to user space.
                if (query.Target is not null)
                {
                    unobservable.Add(query.Target);
                }

                break;
            default:
                throw new UntranslatableException(query.Location, $"'{query.Verb}' has no live-kernel translation");
        }
    }

    private void Expect(ExpectStatement expect)
    {
        if (!Observable(expect.Left) || !Observable(expect.Right) || IsPageFrame(expect.Left) != IsPageFrame(expect.Right))
        {
            dropped.Add(expect);
            return;
        }

        var left = Operand(expect.Left);
        var right = Operand(expect.Right);
        Driver($"cg_check({checks.Count}, {left}, {(expect.Comparison == Comparison.NotEqual ? 1 : 0)}, {right});");
        checks.Add(expect);
    }

    private bool Observable(Operand operand) => operand switch
    {
        QueryOperand { Query: PageFactStatement fact } => fact.Fact is PageFact.Present or PageFact.Swapped or PageFact.Pfn,
        ValueOperand { Value: VariableExpr variable } => !unobservable.Contains(variable.Name),
        _ => true,
    };

    /// <summary>A pfn, read now or earlier: compared with anything but another pfn it means nothing on a live kernel.</summary>
    private bool IsPageFrame(Operand operand) => operand switch
    {
        QueryOperand { Query: PageFactStatement { Fact: PageFact.Pfn } } => true,
        ValueOperand { Value: VariableExpr variable } => pageFrames.Contains(variable.Name),
        _ => false,
    };

    private int Operand(Operand operand)
    {
        switch (operand)
        {
            case QueryOperand query:
                var into = Temporary();
                Query(query.Query, into);
                return into;
            case ValueOperand { Value: VariableExpr variable }:
                return Use(variable);
            case ValueOperand value:
                var constant = Temporary();
                Driver($"cg->v[{constant}] = {Constant(value.Value)};");
                return constant;
            default:
                throw new UntranslatableException(operand.Location, "unknown kind of check operand");
        }
    }

    private void Setup(SetupStatement setup)
    {
        var backing = instance.Backing ?? throw new UntranslatableException(setup.Location, "'setup' without a backing");
        if (backing.ParameterValue is { } value)
        {
            var parameter = Slot(backing.Definition.Parameter!);
            Driver($"cg->v[{parameter}] = cg_number({value.Value}ULL);");
        }

        inBacking = true;
        foreach (var statement in backing.Definition.Body)
        {
            Statement(statement);
        }

        inBacking = false;
    }

    private void Driver(string code) => driver.AppendLine(CultureInfo.InvariantCulture, $"\t{code}");

    /// <summary>A numbered step run by the agent of <paramref name="process"/> (resolved when the program runs).</summary>
    private void Agent(Expr process, string code) => Step($"cg_process_slot({Use(process)})", code);

    private void Step(string slot, string code)
    {
        if (pendingTry is { } into)
        {
            code = $"CG_TRY({into}, {code});";
            pendingTry = null;
        }

        var step = stepCount++;
        steps.AppendLine(CultureInfo.InvariantCulture, $"\tcase {step}: {code} break;");
        Driver($"cg_run({slot}, {step});");
    }

    private int Define(Statement statement) => Slot(statement.Target ?? throw new UntranslatableException(statement.Location, $"'{statement.Verb}' needs a variable to assign"));

    private int Slot(string name)
    {
        if (!variables.TryGetValue(name, out var index))
        {
            index = names.Count;
            if (index >= 256)
            {
                throw new UntranslatableException(new SourceLocation(instance.File, 1, 1), "more than 256 variables (cowguard_live.h CG_MAX_VARS)");
            }

            variables[name] = index;
            names.Add(name);
        }

        return index;
    }

    private int Temporary() => Slot("$" + names.Count.ToString(CultureInfo.InvariantCulture));

    private int Use(Expr expr) => expr is VariableExpr variable && variables.TryGetValue(variable.Name, out var index)
        ? index
        : throw new UntranslatableException(expr.Location, $"expected a variable assigned earlier, found {expr}");

    private string Number(Expr expr) => expr switch
    {
        NumberExpr number => number.Value.ToString(CultureInfo.InvariantCulture) + "ULL",
        VariableExpr variable => $"cg_num({Use(variable)})",
        BinaryExpr { Operator: ArithmeticOperator.Divide } binary => $"cg_div({Number(binary.Left)}, {Number(binary.Right)})",
        BinaryExpr binary => $"({Number(binary.Left)} {Operator(binary.Operator)} {Number(binary.Right)})",
        _ => throw new UntranslatableException(expr.Location, $"expected a number, found {expr}"),
    };

    /// <summary>A number or a string (the value of a 'try') as a C value expression.</summary>
    private string Constant(Expr expr) => expr is StringExpr text
        ? $"cg_text(\"{text.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\")"
        : $"cg_number({Number(expr)})";

    private string Optional(Expr? expr) => expr is null ? "0" : Number(expr);

    private static string Operator(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        _ => "*",
    };

    private static string Prot(Protection protection) => protection switch
    {
        Protection.ReadWrite => "CG_PROT_RW",
        Protection.Read => "CG_PROT_READ",
        _ => "CG_PROT_NONE",
    };

    private static string AdviceConstant(MadviseStatement madvise) => madvise.Advice switch
    {
        Advice.DontNeed => "MADV_DONTNEED",
        Advice.DontFork => "MADV_DONTFORK",
        Advice.DoFork => "MADV_DOFORK",
        Advice.WipeOnFork => "MADV_WIPEONFORK",
        Advice.KeepOnFork => "MADV_KEEPONFORK",
        Advice.PageOut => "MADV_PAGEOUT",
        Advice.HugePage => "MADV_HUGEPAGE",
        Advice.NoHugePage => "MADV_NOHUGEPAGE",
        Advice.Collapse => "MADV_COLLAPSE",
        Advice.Mergeable => "MADV_MERGEABLE",
        _ => "MADV_UNMERGEABLE",
    };
}
