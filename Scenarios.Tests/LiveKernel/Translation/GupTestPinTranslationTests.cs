using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel.Translation;

/// <summary>
/// R/O pins on a kernel with gup_test (the guest): pin_user_pages(_fast) with or without FOLL_LONGTERM becomes
/// PIN_LONGTERM_TEST_START in the agent, device_read and unpin its READ and STOP in the driver; one such pin at a time
/// (gup_test's global page array), and a kernel without gup_test gets the reason.
/// </summary>
public sealed class GupTestPinTranslationTests
{
    private const string Prologue = """
        scenario "t"
        verdict M=pass F=pass R=pass X=pass
        p = process "p"
        m = mmap p 8K
        fill p m 8K 1

        """;

    private static CProgram Translate(string body, bool gupTest = true) =>
        CTranslator.Translate(ScenarioLoader.LoadText("t.cow", Prologue + body).Single(), "i0", TargetKernels.Full with { HasGupTest = gupTest });

    [Theory]
    [InlineData("pin_user_pages p m 2 longterm", 0)]
    [InlineData("pin_user_pages p m 2 none", 0)]
    [InlineData("pin_user_pages_fast p m 2 longterm", 1)]
    public void A_read_only_pin_is_a_gup_test_pin_taken_by_its_process_and_read_and_released_by_the_driver(string pin, int fast)
    {
        var program = Translate($"""
            h = {pin}
            expect "the device sees the page": device_read h == 1
            unpin_user_pages h
            """);

        var text = CProgramBatch.Compose([program]);
        Assert.Contains($"cg_gup_test_pin_ro(", text, StringComparison.Ordinal);
        Assert.Contains($"(2ULL * 4096ULL), {fast});", text, StringComparison.Ordinal);
        Assert.Contains("cg_gup_test_device_read(", text, StringComparison.Ordinal);
        Assert.Contains("cg_gup_test_unpin_var(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_gup_test_a_read_only_pin_is_untranslatable_with_the_reason()
    {
        var e = Assert.Throws<UntranslatableException>(() => Translate("h = pin_user_pages p m 1 longterm\nunpin_user_pages h\n", gupTest: false));

        Assert.Contains("no /sys/kernel/debug/gup_test (CONFIG_GUP_TEST is off)", e.Reason, StringComparison.Ordinal);
        Assert.Equal(6, e.Location.Line);
    }

    [Fact]
    public void Pins_taken_one_after_another_translate()
    {
        var program = Translate("""
            a = pin_user_pages p m 1 longterm
            unpin_user_pages a
            b = pin_user_pages_fast p m 1 longterm
            expect "seen": device_read b == 1
            unpin_user_pages b
            """);

        Assert.Equal(2, CProgramBatch.Compose([program]).Split("cg_gup_test_pin_ro(").Length - 1);
    }

    [Fact]
    public void A_second_pin_while_the_first_is_held_is_untranslatable_at_the_second()
    {
        var e = Assert.Throws<UntranslatableException>(() => Translate("""
            a = pin_user_pages p m 1 longterm
            b = pin_user_pages p m 1 longterm
            unpin_user_pages b
            unpin_user_pages a
            """));

        Assert.Equal(7, e.Location.Line);
        Assert.Contains("one long-term pin at a time", e.Reason, StringComparison.Ordinal);
        Assert.Contains("line 6", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_releases_the_pin_it_names()
    {
        var program = Translate("""
            a = pin_user_pages p m 1 longterm
            same = a
            unpin_user_pages same
            b = pin_user_pages p m 1 longterm
            expect "seen": device_read b == 1
            unpin_user_pages b
            """);

        Assert.Single(program.Checks);
    }

    [Fact]
    public void A_device_cannot_write_through_a_read_only_pin()
    {
        var e = Assert.Throws<UntranslatableException>(() => Translate("a = pin_user_pages p m 1 longterm\ndevice_write a 2\nunpin_user_pages a\n"));

        Assert.Contains("PIN_LONGTERM_TEST has no write", e.Reason, StringComparison.Ordinal);
    }
}
