using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// Runs a sequence of steps on a machine of one era, keeping a shadow of what each process is entitled to see, and
/// checks the oracles after every step: the model's invariants, the process view, isolation on every read (by a
/// process, a device through a reference, or a pipe), and pin coherence for every held pin. The property tests run
/// whole sequences (<see cref="Run(Era, IEnumerable{Op}, IReadOnlySet{Oracle})"/>: the first failure of an oracle in
/// the targets stops the run; model bugs always stop it). The explorer steps a run one operation at a time
/// (<see cref="Explore"/>), clones it, and also observes every view after every step (ModelRun.Observation.cs).
/// </summary>
internal sealed partial class ModelRun
{
    private readonly Era _era;
    private readonly Universe _universe;
    private readonly IReadOnlySet<Oracle> _targets;
    private readonly bool _observeEveryView;
    private readonly Machine _machine;
    private readonly List<VmProcess> _processes = [];
    private readonly List<ProcessShadow> _shadows = [];
    private readonly List<HeldReference> _held = [];
    private readonly List<ExecutedStep> _executed = [];
    private readonly ulong[] _slotAddress;
    private int _nextReferenceId;
    private int _nextValue = 1;
    private int _exemptHugetlbGetLeaks;
    private Violation? _violation;
    private (Oracle Oracle, string Detail)? _pending;
    private OracleSet _violatedThisStep;

    /// <param name="era">The COW era.</param>
    /// <param name="universe">The slots and pools.</param>
    /// <param name="targets">The oracles whose failures count (model bugs always do).</param>
    /// <param name="exploring">
    /// The explorer's mode: invariants are checked once after each step rather than after every model call (a clone or
    /// a replayed prefix was already checked), the lock-order checker is off (its per-thread stacks belong to no one
    /// machine state), and every view is observed after every step.
    /// </param>
    private ModelRun(Era era, Universe universe, IReadOnlySet<Oracle> targets, bool exploring)
    {
        _era = era;
        _universe = universe;
        _targets = targets;
        _observeEveryView = exploring;
        _machine = new Machine(new MachineOptions
        {
            Era = era, CheckInvariants = !exploring, CheckLockOrder = !exploring, HugetlbPages2M = universe.HugetlbPool,
            SwapPages = universe.SwapPages, RecordEvents = false,
        });
        _machine.SetThpMode(PageGeometry.PmdSize, ThpMode.Always);
        var first = _machine.CreateProcess("p0");
        _processes.Add(first);
        _shadows.Add(new ProcessShadow(universe.Slots.Count));
        _slotAddress = universe.Slots.Select((kind, slot) => MapSlot(first, slot, kind)).ToArray();
    }

    public Era Era => _era;

    public Universe Universe => _universe;

    /// <summary>The property tests' runs: the universe of <see cref="Universe.PropertyTests"/>.</summary>
    public static RunResult Run(Era era, IEnumerable<Op> ops, IReadOnlySet<Oracle> targets) =>
        Run(era, Universe.PropertyTests, ops, targets, exploring: false);

    /// <summary>Runs a whole sequence; with <paramref name="exploring"/> the way the explorer ran it (to replay a counterexample).</summary>
    public static RunResult Run(Era era, Universe universe, IEnumerable<Op> ops, IReadOnlySet<Oracle> targets, bool exploring)
    {
        var run = new ModelRun(era, universe, targets, exploring);
        foreach (var op in ops)
        {
            if (run._violation is not null)
            {
                break;
            }

            if (exploring)
            {
                run.ExploreStep(op);
            }
            else
            {
                run.Step(op);
            }
        }

        return new RunResult(run._executed, run._violation, run._exemptHugetlbGetLeaks);
    }

    /// <summary>The explorer's root state: the universe's setup, nothing run yet.</summary>
    public static ModelRun StartExploring(Era era, Universe universe, IReadOnlySet<Oracle> targets) =>
        new(era, universe, targets, exploring: true);

    /// <summary>
    /// One explorer step: runs <paramref name="op"/>, checks the invariants and observes every view, and reports every
    /// oracle the step violated. The run keeps going after a violation (only a model bug ends it, see
    /// <see cref="Broken"/>), and keeps no history, so a clone stays small.
    /// </summary>
    public StepReport Explore(Op op)
    {
        _executed.Clear();
        _violation = null;
        var exemptBefore = _exemptHugetlbGetLeaks;
        ExploreStep(op);
        return new StepReport(_executed.Count == 1, _violatedThisStep, _exemptHugetlbGetLeaks - exemptBefore);
    }

    /// <summary>A model bug happened: the machine's state is no longer meaningful and the run must not go on.</summary>
    public bool Broken { get; private set; }

    /// <summary>The setup every run starts from; ScenarioWriter prints the same statements.</summary>
    private ulong MapSlot(VmProcess process, int slot, SlotKind kind)
    {
        var length = Universe.Length(kind);
        ulong address;
        switch (kind)
        {
            case SlotKind.BasePage:
                address = process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
                process.Madvise(address, length, Advice.NoHugePage);
                break;
            case SlotKind.Thp:
                // cow.c's aligned THP area: map twice the size and use the PMD-aligned start (as 'mmap ... align=2M').
                var raw = process.Mmap(2 * length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
                address = (raw + length - 1) & ~(length - 1);
                process.Madvise(address, length, Advice.HugePage);
                break;
            default:
                address = process.Mmap(length, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Hugetlb);
                break;
        }

        process.Fill(address, length, 1);
        _shadows[0].Wrote(slot, 1);
        return address;
    }

    private void Step(Op op)
    {
        _pending = null;
        try
        {
            if (Execute(op) is { } step)
            {
                _executed.Add(step);
                if (_pending is { } pending)
                {
                    Fail(pending.Oracle, pending.Detail);
                }

                CheckPins();
            }
        }
        catch (InvariantViolationException error)
        {
            Fail(Oracle.ModelBug, $"invariant violated after {op}: {error.Message}");
        }
        catch (VmException)
        {
            // Rejected by the model with a typed error (unmapped, R/O, uffd-wp, invalid flags, pool empty ...):
            // the kernel would return an error too; the step did not happen and is not printed.
        }
        catch (Exception error)
        {
            Fail(Oracle.ModelBug, $"{op} crashed: {error}");
        }
    }

    private void ExploreStep(Op op)
    {
        _violatedThisStep = default;
        Step(op);
        if (!_violatedThisStep.Contains(Oracle.ModelBug))
        {
            try
            {
                _machine.CheckInvariants();
                ObserveEveryView();
            }
            catch (InvariantViolationException error)
            {
                Fail(Oracle.ModelBug, $"invariant violated after {op}: {error.Message}");
            }
        }

        Broken |= _violatedThisStep.Contains(Oracle.ModelBug);
    }

    private byte NextValue()
    {
        // Every write gets a fresh value (2..255, then wrapping), so the origin of any byte seen is known. The explorer
        // bounds the depth far below 254 writes, so its values never wrap (ExplorationOptions checks the depth).
        _nextValue = _nextValue >= 255 ? 2 : _nextValue + 1;
        return (byte)_nextValue;
    }

    private void Fail(Oracle oracle, string detail)
    {
        if (oracle == Oracle.ModelBug || _targets.Contains(oracle))
        {
            _violation ??= new Violation(oracle, _executed.Count - 1, detail);
            _violatedThisStep = _violatedThisStep.With(oracle);
        }
    }

    /// <summary>Pin coherence after every step: a held pin of a live process on a slot still mapped since it was taken.</summary>
    private void CheckPins()
    {
        foreach (var held in _held.Where(h => h.IsPin && h.Handle is { IsReleased: false }))
        {
            var owner = _shadows[held.Owner];
            if (!owner.Alive || owner.Generation[held.Slot] != held.Generation || owner.Expected[held.Slot] is not { } expected)
            {
                continue;
            }

            var oracle = held.IsWritePin ? Oracle.WritePinCoherence
                : held.ReadOnlyCoherencePromised ? Oracle.ReadOnlyPinCoherence
                : (Oracle?)null;
            var page = held.Handle!.HeldPages[0];
            var device = page.Folio.ReadByte(page.Index, 0); // what the device reads (ObserveEveryView says why not Handle.ReadByte)
            if (oracle is { } violated && device != expected && _targets.Contains(violated) && (_violation is null || _observeEveryView))
            {
                if (_violation is null)
                {
                    var last = _executed[^1];
                    _executed[^1] = last with { Check = PinCheck(violated, held) };
                }

                Fail(violated, $"h{held.Id} ({held.Flags}) reads {device}, p{held.Owner} expects {expected}");
            }
        }
    }

    private static FailedCheck PinCheck(Oracle violated, HeldReference held) => held.Buffer is null
        ? new FailedCheck(violated, $"{Describe(violated)}: h{held.Id} sees what p{held.Owner} sees", $"device_read h{held.Id} == read p{held.Owner} s{held.Slot} 4K") { AfterStep = true }
        : new FailedCheck(violated, $"{Describe(violated)}: b{held.Id} sees what p{held.Owner} sees", $"file_read f{held.Id} 4K == read p{held.Owner} s{held.Slot} 4K")
        {
            Prelude = $"io_uring_write_fixed b{held.Id} f{held.Id}", AfterStep = true,
        };

    private static string Describe(Oracle oracle) => oracle switch
    {
        Oracle.WritePinCoherence => "write pin coherence",
        Oracle.ReadOnlyPinCoherence => "R/O pin coherence",
        Oracle.Isolation => "isolation",
        _ => "process view",
    };
}
