using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Page references outlive the process that took them, on the kernel as in the model: the driver holds the pipe
/// (SCM_RIGHTS) and the io_uring ring (pidfd_getfd), so an exit neither drops the reference nor ends the scenario.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class HandleLifetimeTests
{
    [SkippableFact]
    public void A_pipe_is_read_after_the_process_that_spliced_it_exited()
    {
        LiveRuns.SkipUnless();

        // The shrunk regression mapcount-reference-outlives-unmap: the child's write must copy away from the page the pipe holds.
        LiveRuns.AgreeingAndPassing("""
            p0 = process
            s0 = mmap p0 4K
            madvise p0 s0 4K nohugepage
            fill p0 s0 4K 1
            pipe0 = vmsplice p0 s0 4K
            p1 = fork p0
            exit p0
            fill p1 s0 4K 2
            expect "the pipe keeps p0's data": pipe_read pipe0 == 1
            expect "p1 sees its own write": read p1 s0 4K == 2
            """);
    }

    [SkippableFact]
    public void A_child_forked_after_the_reference_was_taken_does_not_keep_it()
    {
        LiveRuns.SkipUnless(KernelFeature.PageFrameNumbers);

        // The FOLL_GET reference is a vmsplice() pipe the driver holds, so the child does not inherit it: after
        // put_pages the page's refcount is 1 again and, mapped only by the parent, its write fault reuses it
        // (wp_can_reuse_anon_folio) although fork cleared PageAnonExclusive.
        var live = LiveRuns.Agreeing("""
            p = process
            m = mmap p 4K
            madvise p m 4K nohugepage
            fill p m 4K 1
            h = get_user_pages p m 1
            c = fork p
            munmap c m 4K
            put_pages h
            before = pfn p m
            fill p m 4K 2
            expect "the parent reused its page": pfn p m == before
            """);
        Assert.True(live.Checks.Single().Passed, live.Checks.Single().Format());
    }

    [SkippableFact]
    public void An_io_uring_pin_outlives_the_process_that_registered_it()
    {
        LiveRuns.SkipUnless(KernelFeature.IoUring);

        // The pin keeps the page alive after exit_mmap; the device still reads the data, then writes into the page.
        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 4K
            fill p m 4K 5
            b = io_uring_register p m 4K
            exit p
            expect "the device still reads the page": device_read b == 5
            device_write b 6
            expect "and writes it": device_read b == 6
            io_uring_unregister b
            """);
    }
}
