using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// ksm_merge on the live kernel: ksmd runs for three full scans with the knobs set for a quick pass, then stops;
/// the knobs are put back. Page frame numbers show what merged.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class KsmMergeTests
{
    [SkippableFact]
    public void Identical_pages_merge_and_a_write_copies_away_from_the_KSM_page()
    {
        LiveRuns.SkipUnless(KernelFeature.Ksm, KernelFeature.PageFrameNumbers);

        var before = MachineKnobsText();
        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 12K
            madvise p m 12K nohugepage
            fill p m 8K 0x33
            fill p m + 8K 4K 0x44
            madvise p m 12K mergeable
            ksm_merge
            expect "the identical pages share one KSM page": pfn p m == pfn p m + 4K
            expect "the different page stays apart": pfn p m != pfn p m + 8K
            write p m + 4K 1
            expect "the write copied away from the KSM page": pfn p m != pfn p m + 4K
            expect "the KSM page kept its data": read p m 4K == 0x33
            """);
        Assert.Equal(before, MachineKnobsText());
    }

    [SkippableFact]
    public void A_pinned_page_is_not_merged()
    {
        LiveRuns.SkipUnless(KernelFeature.Ksm, KernelFeature.PageFrameNumbers, KernelFeature.IoUring);

        // write_protect_page refuses a page whose refcount exceeds its mappings (here: an io_uring pin).
        var live = LiveRuns.Agreeing("""
            p = process
            m = mmap p 8K
            madvise p m 8K nohugepage
            fill p m 8K 0x33
            madvise p m 8K mergeable
            b = io_uring_register p m 4K
            ksm_merge
            expect "the pinned page stays apart": pfn p m != pfn p m + 4K
            io_uring_unregister b
            """);
        Assert.True(live.Checks.Single().Passed, live.Checks.Single().Format());
    }

    [SkippableFact]
    public void A_page_without_an_identical_partner_stays_an_ordinary_anonymous_page()
    {
        LiveRuns.SkipUnless(KernelFeature.Ksm, KernelFeature.PageFrameNumbers);

        // cmp_and_merge_page only merges a page with an identical one (unstable or stable tree); a lone page keeps
        // PageAnonExclusive, so its next write fault reuses it in place.
        var live = LiveRuns.Agreeing("""
            p = process
            m = mmap p 8K
            madvise p m 8K nohugepage
            fill p m 4K 0x33
            fill p m + 4K 4K 0x44
            madvise p m 8K mergeable
            ksm_merge
            before = pfn p m
            write p m 1
            expect "the write reused the lone page": pfn p m == before
            """);
        Assert.True(live.Checks.Single().Passed, live.Checks.Single().Format());
    }

    [SkippableFact]
    public void Without_a_mergeable_area_ksm_merge_does_nothing()
    {
        LiveRuns.SkipUnless(KernelFeature.Ksm);

        var live = LiveRuns.Agreeing("p = process\nm = mmap p 4K\nfill p m 4K 1\nksm_merge\nexpect \"x\": read p m 4K == 1\n");
        Assert.True(live.Checks.Single().Passed);
    }

    private static string MachineKnobsText() =>
        string.Join(";", new[] { "run", "pages_to_scan", "sleep_millisecs", "smart_scan", "use_zero_pages" }
            .Select(k => KernelFacts.Read(Path.Combine("/sys/kernel/mm/ksm", k))));
}
