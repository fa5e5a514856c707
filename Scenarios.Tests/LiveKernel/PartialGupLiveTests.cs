using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Tests.LiveKernel.Translation;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Issue 16, item 4, live: a partial R/O FOLL_GET runs as vmsplice(), which queues the pages before a hole and then
/// fails with EFAULT — the short count the model's partial GUP keeps; partial pins have no equivalent (io_uring and
/// gup_test undo a short pin) and say so.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class PartialGupLiveTests
{
    [SkippableFact]
    public void A_partial_get_user_pages_over_a_hole_agrees_with_the_model()
    {
        LiveRuns.SkipUnless();

        LiveRuns.AgreeingAndPassing("""
            p = process "p"
            m = mmap p 12K
            fill p m 12K 5
            munmap p m + 8K 4K
            h = get_user_pages p m 3 none partial
            expect "two of three pages": pages_taken h == 2
            expect "the device sees them": device_read h == read p m 8K
            whole = get_user_pages p m 2 none
            expect "a whole range": pages_taken whole == 2
            """);
    }

    [Theory]
    [InlineData("pin_user_pages p m 2 write partial")]
    [InlineData("pin_user_pages p m 2 longterm partial")]
    public void A_partial_pin_is_untranslatable_with_the_reason(string pin)
    {
        var instance = ScenarioLoader.LoadText("t.cow", $"scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\np = process \"p\"\nm = mmap p 8K\nh = {pin}\nexpect \"n\": pages_taken h == 2\n").Single();

        var e = Assert.Throws<UntranslatableException>(() => CTranslator.Translate(instance, "i0", TargetKernels.Full));

        Assert.Contains("io_uring registration and gup_test undo a short pin", e.Reason, StringComparison.Ordinal);
    }
}
