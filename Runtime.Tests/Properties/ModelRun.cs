using CowGuard.VmModel;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>The outcome of running one generated sequence.</summary>
internal sealed record RunResult(IReadOnlyList<ExecutedStep> Executed, Violation? Violation, int ExemptHugetlbGetLeaks);

/// <summary>
/// Runs a generated sequence on a fresh machine of one era, keeping a shadow of what each process is entitled to
/// see, and checks the oracles after every step: the model's invariants (CheckInvariants is on), the process view,
/// isolation on every read (by a process, a device through a reference, or a pipe), and pin coherence for every
/// held pin. The first failure of an oracle in <c>targets</c> stops the run; model bugs always stop it.
/// </summary>
internal sealed partial class ModelRun
{
    /// <summary>Enough swap for every page a sequence can map (4 processes x 2 THP/hugetlb slots); a small device keeps machine creation cheap.</summary>
    private const long SwapPages = 8 * 1024;

    private readonly Era _era;
    private readonly IReadOnlySet<Oracle> _targets;
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

    private ModelRun(Era era, IReadOnlySet<Oracle> targets)
    {
        _era = era;
        _targets = targets;
        _machine = new Machine(new MachineOptions { Era = era, CheckInvariants = true, CheckLockOrder = true, HugetlbPages2M = Slots.HugetlbPool, SwapPages = SwapPages, RecordEvents = false });
        _machine.SetThpMode(PageGeometry.PmdSize, ThpMode.Always);
        var first = _machine.CreateProcess("p0");
        _processes.Add(first);
        _shadows.Add(new ProcessShadow(Slots.Layout.Length));
        _slotAddress = Slots.Layout.Select((kind, slot) => MapSlot(first, slot, kind)).ToArray();
    }

    public static RunResult Run(Era era, IEnumerable<Op> ops, IReadOnlySet<Oracle> targets)
    {
        var run = new ModelRun(era, targets);
        foreach (var op in ops)
        {
            if (run._violation is not null)
            {
                break;
            }

            run.Step(op);
        }

        return new RunResult(run._executed, run._violation, run._exemptHugetlbGetLeaks);
    }

    /// <summary>The setup every sequence starts from; ScenarioWriter prints the same statements.</summary>
    private ulong MapSlot(VmProcess process, int slot, SlotKind kind)
    {
        var length = Slots.Length(kind);
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
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            Fail(Oracle.ModelBug, $"{op} crashed: {error}");
        }
    }

    private byte NextValue()
    {
        // Every write gets a fresh value (2..255, then wrapping), so the origin of any byte seen is known.
        _nextValue = _nextValue >= 255 ? 2 : _nextValue + 1;
        return (byte)_nextValue;
    }

    private void Fail(Oracle oracle, string detail)
    {
        if (oracle == Oracle.ModelBug || _targets.Contains(oracle))
        {
            _violation ??= new Violation(oracle, _executed.Count - 1, detail);
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
            var device = held.Handle!.ReadByte(0);
            if (oracle is { } violated && device != expected && _targets.Contains(violated) && _violation is null)
            {
                var last = _executed[^1];
                _executed[^1] = last with
                {
                    Check = new FailedCheck(violated, $"{Describe(violated)}: h{held.Id} sees what p{held.Owner} sees",
                        $"device_read h{held.Id} == read p{held.Owner} s{held.Slot} 4K"),
                };
                Fail(violated, $"h{held.Id} ({held.Flags}) reads {device}, p{held.Owner} expects {expected}");
            }
        }
    }

    private static string Describe(Oracle oracle) => oracle switch
    {
        Oracle.WritePinCoherence => "write pin coherence",
        Oracle.ReadOnlyPinCoherence => "R/O pin coherence",
        Oracle.Isolation => "isolation",
        _ => "process view",
    };
}
