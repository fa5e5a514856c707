using CowGuard.VmModel;
using Xunit;

namespace CowGuard.VmModel.Tests.Rules;

/// <summary>
/// The kernel's short count: __get_user_pages returns the number of pages taken before the first page that fails, and
/// an error only when the first page fails. The *Partial entry points return that; the plain ones behave like
/// io_pin_pages (unpin the short result, fail with EFAULT).
/// </summary>
public sealed class PartialGupTests
{
    private const ulong Page = TestMachines.PageSize;

    [Theory]
    [InlineData("slow")]
    [InlineData("fast")]
    [InlineData("remote")]
    public void A_partial_pin_returns_the_pages_before_the_hole_and_why_it_stopped(string walk)
    {
        var (machine, process, mem) = ThreePagesThenAHole();
        using var pins = PinPartial(walk, process, mem, 4);
        Assert.Equal(3, pins.PageCount);
        Assert.True(pins.IsShort);
        var stop = Assert.IsType<BadAddressException>(pins.StoppedBy);
        Assert.Equal(mem + 3 * Page, stop.Address);
        Assert.Equal("EFAULT", stop.KernelError);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, process.Inspect(mem + (ulong)i * Page).Page!.Value.PinCount));
        Assert.Equal(0x11, pins.ReadByte(2 * (long)Page));
        Assert.Throws<InvalidVmArgumentException>(() => pins.ReadByte(3 * (long)Page)); // beyond the pages taken
        Gup.UnpinUserPages(pins);
        Assert.Equal(0, process.Inspect(mem).Page!.Value.PinCount);
        machine.CheckInvariants();
    }

    [Fact]
    public void A_complete_partial_call_is_not_short()
    {
        var (_, process, mem) = ThreePagesThenAHole();
        using var references = Gup.GetUserPagesPartial(process, mem, 3, FollFlags.Write);
        Assert.Equal(3, references.PageCount);
        Assert.False(references.IsShort);
        Assert.Null(references.StoppedBy);
    }

    [Fact]
    public void When_the_first_page_fails_the_partial_call_throws_that_error_and_takes_nothing()
    {
        var (machine, process, mem) = ThreePagesThenAHole();
        var error = Assert.Throws<BadAddressException>(() => Gup.PinUserPagesPartial(process, mem + 3 * Page, 2, FollFlags.Write));
        Assert.Equal(mem + 3 * Page, error.Address);
        Assert.Equal(0, error.PagesTaken);
        machine.CheckInvariants();
    }

    [Fact]
    public void The_all_or_nothing_call_unpins_a_short_result_and_reports_EFAULT_with_the_count_and_the_cause()
    {
        var (machine, process, mem) = ThreePagesThenAHole();
        process.Mprotect(mem + 2 * Page, Page, Prot.Read);
        var error = Assert.Throws<BadAddressException>(() => Gup.PinUserPagesFast(process, mem, 3, FollFlags.Write | FollFlags.Longterm));
        Assert.Equal(2, error.PagesTaken);
        Assert.Equal(mem + 2 * Page, error.Address);
        var cause = Assert.IsType<BadAddressException>(error.InnerException);
        Assert.Contains("without PROT_WRITE", cause.Cause, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0, process.Inspect(mem + (ulong)i * Page).Page!.Value.PinCount));
        machine.CheckInvariants();
    }

    [Fact]
    public void Io_uring_registration_of_a_buffer_with_a_hole_pins_nothing_and_fails_with_EFAULT()
    {
        var (machine, process, mem) = ThreePagesThenAHole();
        var error = Assert.Throws<BadAddressException>(() => process.IoUringRegisterBuffer(mem, 4 * Page));
        Assert.Equal(3, error.PagesTaken);
        Assert.True(process.HasPinned); // mm_set_has_pinned_flag ran before the walk, as in the kernel
        Assert.Equal(0, process.Inspect(mem).Page!.Value.PinCount);
        machine.CheckInvariants();
    }

    [Fact]
    [WrongSideCowOk("no fork follows: the test checks the short count, not COW")]
    public void Vmsplice_splices_the_pages_before_a_hole_and_fails_only_on_the_first_page()
    {
        var (machine, process, mem) = ThreePagesThenAHole();
        var pipe = machine.CreatePipe();
        Assert.Equal((long)(2 * Page + 100), process.Vmsplice(pipe, mem + Page - 100, 4 * Page));
        var error = Assert.Throws<BadAddressException>(() => process.Vmsplice(pipe, mem + 3 * Page, Page));
        Assert.Equal("EFAULT", error.KernelError);
        machine.CheckInvariants();
    }

    /// <summary>Three written pages and an unmapped fourth (a separate mapping above keeps the hole a hole).</summary>
    private static (Machine Machine, VmProcess Process, ulong Mem) ThreePagesThenAHole()
    {
        var machine = TestMachines.Create(Era.AnonExclusive);
        var process = machine.CreateProcess("p");
        var mem = TestMachines.BasePage(process, 4 * Page);
        process.Fill(mem + 2 * Page, Page, 0x11);
        process.Munmap(mem + 3 * Page, Page);
        return (machine, process, mem);
    }

    [WrongSideCowOk("FOLL_WRITE is passed: the helper only chooses the walk")]
    private static PinnedPages PinPartial(string walk, VmProcess process, ulong mem, int pages) => walk switch
    {
        "fast" => Gup.PinUserPagesFastPartial(process, mem, pages, FollFlags.Write),
        "remote" => Gup.PinUserPagesRemotePartial(process, mem, pages, FollFlags.Write),
        _ => Gup.PinUserPagesPartial(process, mem, pages, FollFlags.Write),
    };
}
