using System.Text;
using CowGuard.VmModel;

namespace CowGuard.Exploration;

/// <summary>
/// Prints the steps of a run in the scenario language (docs/scenarios.md), with the setup of the slots they use and
/// the failed check as an <c>expect</c>, so a shrunk counterexample becomes a catalogue regression scenario.
/// </summary>
internal static class ScenarioWriter
{
    /// <summary>The property tests' form: their universe.</summary>
    public static string Write(string name, IEnumerable<string> comments, IReadOnlyDictionary<string, bool> failsPerEra, IReadOnlyList<ExecutedStep> steps) =>
        Write(Universe.PropertyTests, name, comments, failsPerEra, steps);

    /// <param name="universe">The slots the steps ran on (their setup is printed for the slots the steps use).</param>
    /// <param name="name">The scenario name.</param>
    /// <param name="comments">Comment lines for the file's head.</param>
    /// <param name="failsPerEra">Per era code of the scenario language, whether the steps fail there.</param>
    /// <param name="steps">The executed steps; the failed check is printed as an 'expect'.</param>
    public static string Write(Universe universe, string name, IEnumerable<string> comments, IReadOnlyDictionary<string, bool> failsPerEra, IReadOnlyList<ExecutedStep> steps)
    {
        var text = new StringBuilder();
        foreach (var comment in comments)
        {
            text.Append("# ").AppendLine(comment);
        }

        text.AppendLine($"scenario \"{name}\"");
        text.AppendLine("verdict " + string.Join(' ', failsPerEra.Where(e => !InheritsVerdict(e.Key, failsPerEra)).Select(e => $"{e.Key}={(e.Value ? "FAIL" : "pass")}")));
        text.AppendLine();
        WriteSetup(text, universe, steps.Select(s => s.Slot).Where((_, i) => UsesSlot(steps[i])).Distinct().Order());
        foreach (var buffer in steps.Where(s => s.Kind == OpKind.IoUringRegister))
        {
            // The device side of an io_uring buffer is observed by writing the buffer into a file (cow.c test 7).
            text.AppendLine($"f{buffer.Handle} = tmpfile 4K");
        }

        var buffers = steps.Where(s => s.Kind == OpKind.IoUringRegister).Select(s => s.Handle).ToHashSet();
        var pins = new HashSet<int>();
        foreach (var step in steps)
        {
            if (step.Kind is >= OpKind.PinUserPages and <= OpKind.PinUserPagesRemote)
            {
                pins.Add(step.Handle);
            }

            var statement = Statement(universe, step, pins, buffers);
            if (step.Check is { AfterStep: false, Prelude: null } check && IsQuery(step.Kind))
            {
                text.AppendLine(Expect(check));
                continue;
            }

            text.AppendLine(statement);
            if (step.Check is { } after)
            {
                if (after.Prelude is { } prelude)
                {
                    text.AppendLine(prelude);
                }

                text.AppendLine(Expect(after));
            }
        }

        return text.ToString();
    }

    /// <summary>An era that refines another and has its verdict is left out: the file gives it the refined era's (docs/scenarios.md).</summary>
    private static bool InheritsVerdict(string era, IReadOnlyDictionary<string, bool> failsPerEra) =>
        Era.Parse(era).Refines is { } refined && failsPerEra.TryGetValue(refined.Name, out var refinedFails) && refinedFails == failsPerEra[era];

    private static bool IsQuery(OpKind kind) => kind is OpKind.Read or OpKind.DeviceRead or OpKind.PipeRead;

    private static bool UsesSlot(ExecutedStep step) => !step.Op.OnProcessOnly && !step.Op.OnReference && step.Kind != OpKind.KsmMerge;

    private static string Expect(FailedCheck check) => $"expect \"{check.Label}\": {check.Text}";

    private static void WriteSetup(StringBuilder text, Universe universe, IEnumerable<int> slots)
    {
        var used = slots.ToList();
        if (used.Any(s => universe.Slots[s] == SlotKind.Hugetlb))
        {
            text.AppendLine($"nr_hugepages 2M {universe.HugetlbPool}");
        }

        if (used.Any(s => universe.Slots[s] == SlotKind.Thp))
        {
            text.AppendLine("thp_enabled 2M always");
        }

        text.AppendLine("p0 = process \"p0\"");
        foreach (var slot in used)
        {
            var length = Universe.LengthText(universe.Slots[slot]);
            text.AppendLine(universe.Slots[slot] switch
            {
                SlotKind.BasePage => $"s{slot} = mmap p0 {length}\nmadvise p0 s{slot} {length} nohugepage",
                SlotKind.Thp => $"s{slot} = mmap p0 {length} align={length}\nmadvise p0 s{slot} {length} hugepage",
                _ => $"s{slot} = mmap p0 {length} hugetlb={length}",
            });
            text.AppendLine($"fill p0 s{slot} {length} 1");
        }
    }

    private static string Statement(Universe universe, ExecutedStep step, HashSet<int> pins, HashSet<int> buffers)
    {
        var (p, s, h) = ($"p{step.Process}", $"s{step.Slot}", $"h{step.Handle}");
        var length = Universe.LengthText(universe.Slots[step.Slot]);
        return step.Kind switch
        {
            OpKind.Fork => $"p{step.Created} = fork {p}",
            OpKind.Exit => $"exit {p}",
            OpKind.Fill => $"fill {p} {s} {length} {step.Value}",
            OpKind.Read => $"read {p} {s} 4K",
            OpKind.Vmsplice => $"pipe{step.Handle} = vmsplice {p} {s} 4K",
            OpKind.PipeRead => $"pipe_read pipe{step.Handle}",
            OpKind.Release when buffers.Contains(step.Handle) => $"io_uring_unregister b{step.Handle}",
            OpKind.Release => pins.Contains(step.Handle) ? $"unpin_user_pages {h}" : $"put_pages {h}",
            OpKind.DeviceRead => $"device_read {h}",
            OpKind.DeviceWrite => $"device_write {h} {step.Value}",
            OpKind.Munmap => $"munmap {p} {s} {length}",
            OpKind.MprotectReadOnly => $"mprotect {p} {s} {length} r",
            OpKind.MprotectReadWrite => $"mprotect {p} {s} {length} rw",
            OpKind.DontNeed => $"madvise {p} {s} {length} dontneed",
            OpKind.SwapOut => $"swap_out {p} {s} {length}",
            OpKind.Mergeable => $"madvise {p} {s} {length} mergeable",
            OpKind.KsmMerge => "ksm_merge",
            OpKind.ClearRefs => $"clear_refs {p}",
            OpKind.UffdWpOn => $"uffd_wp {p} {s} {length} on",
            OpKind.UffdWpOff => $"uffd_wp {p} {s} {length} off",
            OpKind.IoUringRegister => $"b{step.Handle} = io_uring_register {p} {s} 4K",
            OpKind.Collapse => $"madvise {p} {s} {length} collapse",
            OpKind.Split => $"mprotect {p} {s} + 4K 4K r\nmprotect {p} {s} + 4K 4K rw",
            _ => $"{h} = {GupVerb(step.Kind)} {p} {s} 1 {FlagsText(step.Flags)}",
        };
    }

    private static string GupVerb(OpKind kind) => kind switch
    {
        OpKind.GetUserPages => "get_user_pages",
        OpKind.GetUserPagesFast => "get_user_pages_fast",
        OpKind.GetUserPagesRemote => "get_user_pages_remote",
        OpKind.PinUserPages => "pin_user_pages",
        OpKind.PinUserPagesFast => "pin_user_pages_fast",
        _ => "pin_user_pages_remote",
    };

    private static string FlagsText(FollFlags flags)
    {
        var names = new (FollFlags Bit, string Name)[]
        {
            (FollFlags.Write, "write"), (FollFlags.Force, "force"), (FollFlags.Longterm, "longterm"),
            (FollFlags.NoFault, "nofault"), (FollFlags.BreakCow, "break_cow"),
        };
        var set = names.Where(n => (flags & n.Bit) != 0).Select(n => n.Name).ToList();
        return set.Count == 0 ? "none" : string.Join('|', set);
    }
}
