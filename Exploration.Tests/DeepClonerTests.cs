using CowGuard.VmModel;
using Xunit;

namespace CowGuard.Exploration.Tests;

/// <summary>A copied run is a state of its own: steps in the copy leave the original alone, and vice versa.</summary>
public sealed class DeepClonerTests
{
    private static readonly HashSet<Oracle> AllOracles = [.. Enum.GetValues<Oracle>()];

    private static ModelRun RunWithEverything()
    {
        var run = ModelRun.StartExploring(Era.AnonExclusive, new Universe { Slots = [SlotKind.BasePage, SlotKind.BasePage, SlotKind.Thp], MaxProcesses = 3, MaxReferences = 4 }, AllOracles);
        foreach (var op in new Op[]
        {
            new(OpKind.Fork, 0, 0, FollFlags.None, 0), new(OpKind.PinUserPages, 0, 0, FollFlags.Write | FollFlags.Longterm, 0),
            new(OpKind.Vmsplice, 1, 1, FollFlags.None, 0), new(OpKind.IoUringRegister, 1, 0, FollFlags.None, 0),
            new(OpKind.SwapOut, 1, 1, FollFlags.None, 0), new(OpKind.Split, 0, 2, FollFlags.None, 0),
        })
        {
            Assert.True(run.Explore(op).Executed, $"{op} did not run");
        }

        return run;
    }

    [Fact]
    public void A_copy_encodes_like_its_original_and_steps_independently()
    {
        var original = RunWithEverything();
        var encoder = new StateEncoder();
        var before = encoder.Encode(original).ToArray();

        var copy = new DeepCloner().Clone(original);
        Assert.Equal(before, encoder.Encode(copy).ToArray());

        Assert.True(copy.Explore(new Op(OpKind.Fill, 0, 0, FollFlags.None, 0)).Executed);
        Assert.True(copy.Explore(new Op(OpKind.Exit, 1, 0, FollFlags.None, 0)).Executed);
        Assert.NotEqual(before, encoder.Encode(copy).ToArray());
        Assert.Equal(before, encoder.Encode(original).ToArray());
        Assert.NotSame(original.Machine, copy.Machine);
        Assert.All(copy.Held.Where(h => h.Handle is not null), h => Assert.Same(copy.Machine, h.Handle!.Process.Machine));
    }

    [Fact]
    public void The_zero_pages_are_shared_and_no_step_changes_them()
    {
        var original = RunWithEverything();
        var copy = new DeepCloner().Clone(original);
        Assert.Same(original.Machine.Memory.HugeZeroPage, copy.Machine.Memory.HugeZeroPage);
        Assert.Same(original.Machine.Memory.ZeroPage, copy.Machine.Memory.ZeroPage);

        // Map both zero pages (read faults after MADV_DONTNEED), GUP them, fork, swap, and exit: every path that skips IsZero.
        var report = Explorer.Run(new ExplorationOptions
        {
            Era = Era.AnonExclusive, MaxDepth = 3, Alphabet = Alphabet.Parse("dontneed,read,fork,exit,pin_user_pages:longterm,get_user_pages,release,pageout,collapse"),
            Universe = new Universe { Slots = [SlotKind.BasePage, SlotKind.Thp], MaxProcesses = 2, MaxReferences = 1 },
        });
        Assert.Empty(report.Counterexamples);

        foreach (var zero in new[] { copy.Machine.Memory.ZeroPage, copy.Machine.Memory.HugeZeroPage })
        {
            Assert.Equal(0, zero.RefCount);
            Assert.Equal(0, zero.EntireMapCount);
            Assert.Equal(0, zero.PinCount);
            foreach (var page in zero.Pages)
            {
                Assert.Equal(default, page);
            }
        }
    }

    [Fact]
    public void A_delegate_in_the_state_is_refused_rather_than_shared()
    {
        var run = RunWithEverything();
        run.Machine.GupFastRaceHook = (_, _) => { };

        var error = Assert.Throws<NotSupportedException>(() => new DeepCloner().Clone(run));
        Assert.Contains("cannot be copied", error.Message);
    }
}
