using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Properties;

/// <summary>
/// Model bugs the property search found (invariant violations in long runs and seed scans), shrunk to the public
/// API calls that trigger them, kept as regression tests now that the model is fixed.
/// </summary>
public sealed class ModelBugReproducerTests
{
    // COWGUARD_LONG_RUNS=1, AnonExclusive, seed 20202923 (also seed 20207852 under Mapcount, Refcount, AnonExclusive):
    // the second MADV_PAGEOUT gave the folio, still in the swapcache for the child's swap entry, a second slot and a
    // second swapcache reference (refcount 3, accounted references 2). Not ForcedCowGup: 5.8's vmsplice breaks COW,
    // so the parent pages out a fresh copy that rightly gets a slot of its own.
    [Theory]
    [InlineData("Mapcount")]
    [InlineData("Refcount")]
    [InlineData("AnonExclusive")]
    [WrongSideCowOk("vmsplice never breaks COW; the reference only has to exist while the page is reclaimed")]
    public void Pageout_of_a_swapped_in_page_held_by_a_pipe_keeps_its_swap_slot(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var parent = machine.CreateProcess("p0");
        var mem = TestMachines.BasePage(parent);
        parent.Madvise(mem, TestMachines.PageSize, Advice.PageOut);
        var child = parent.Fork("p1");
        var pipe = machine.CreatePipe();
        parent.Vmsplice(pipe, mem, TestMachines.PageSize);
        var slotsAfterSwapIn = machine.SwapPagesUsed;

        parent.Madvise(mem, TestMachines.PageSize, Advice.PageOut);

        machine.CheckInvariants();
        Assert.Equal(slotsAfterSwapIn, machine.SwapPagesUsed);
        Assert.True(parent.Inspect(mem).Swapped);
        Assert.Equal(0x01, parent.ReadByte(mem));
        Assert.Equal(0x01, child.ReadByte(mem));
        Assert.All(pipe.ReadAll(), b => Assert.Equal(0x01, b));
    }

    // Seed 20203263 (search over 6,903 sequences x 4 eras): KsmScan made a page without an identical partner a KSM
    // page, which a write then reused while it stayed PageKsm ("KSM page mapped writable").
    [Theory]
    [MemberData(nameof(TestMachines.AllEras), MemberType = typeof(TestMachines))]
    public void A_mergeable_page_without_an_identical_partner_stays_an_ordinary_anon_page(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p0");
        var mem = TestMachines.BasePage(process);
        TestMachines.BasePage(process);
        process.Madvise(mem, TestMachines.PageSize, Advice.Mergeable);

        Assert.Equal(0, machine.KsmScan());

        Assert.False(process.Inspect(mem).Page!.Value.Ksm);
        using var pins = Gup.PinUserPagesFast(process, mem, 1, FollFlags.Write);
        machine.CheckInvariants();
    }

    // reuse_ksm_page() in 5.1–5.7 ends with page_move_anon_rmap(), so a KSM page that lost its other mappings and is
    // reused by a write fault stops being PageKsm before it is mapped writable.
    [Theory]
    [InlineData("Mapcount")]
    [InlineData("ForcedCowGup")]
    public void A_write_fault_that_reuses_a_KSM_page_makes_it_an_ordinary_anon_page(string era)
    {
        var machine = TestMachines.Create(Era.Parse(era));
        var process = machine.CreateProcess("p0");
        var mem = TestMachines.BasePage(process, 2 * TestMachines.PageSize);
        process.Madvise(mem, 2 * TestMachines.PageSize, Advice.Mergeable);
        Assert.Equal(1, machine.KsmScan());
        var ksmPfn = process.Inspect(mem).Page!.Value.Pfn;
        process.Munmap(mem + TestMachines.PageSize, TestMachines.PageSize);

        process.WriteByte(mem, 0x02);

        var page = process.Inspect(mem).Page!.Value;
        Assert.Equal(ksmPfn, page.Pfn);
        Assert.False(page.Ksm);
        Assert.Contains(machine.Events, e => e.Kind == VmEventKind.Reuse && e.Address == mem);
    }
}
