using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Remote GUP through the system calls that take it: process_vm_readv/writev (pin_user_pages_remote) and
/// /proc/PID/mem (get_user_pages_remote with FOLL_FORCE), called by an accessor process that maps no scenario memory.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class RemoteCopyTests
{
    [SkippableFact]
    public void A_remote_read_only_pin_unshares_a_COW_shared_page()
    {
        LiveRuns.SkipUnless(KernelFeature.RemoteAccess, KernelFeature.PageFrameNumbers);

        // process_vm_readv pins with no FOLL flags: gup_must_unshare (5.19+) makes follow_page_pte fault with
        // FAULT_FLAG_UNSHARE, so the parent gets its own copy before the pin is taken (cow.c tests 9-14 need gup_test).
        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 4K
            madvise p m 4K nohugepage
            fill p m 4K 7
            c = fork p
            shared = pfn c m
            expect "parent and child share the page after fork": pfn p m == shared
            h = pin_user_pages_remote p m 1 none
            expect "the remote reader sees the parent's data": device_read h == 7
            unpin_user_pages h
            expect "the R/O pin unshared the parent's page": pfn p m != shared
            expect "the child kept the original": pfn c m == shared
            """);
    }

    [SkippableFact]
    public void A_remote_write_pin_breaks_COW_and_the_child_keeps_its_data()
    {
        LiveRuns.SkipUnless(KernelFeature.RemoteAccess);

        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 4K
            fill p m 4K 1
            c = fork p
            h = pin_user_pages_remote p m 1 write
            device_write h 9
            unpin_user_pages h
            expect "process_vm_writev reached the parent": read p m 4K == 9
            expect "the child kept its data": read c m 4K == 1
            """);
    }

    [SkippableFact]
    public void A_forced_write_through_proc_mem_breaks_COW_of_a_read_only_mapping()
    {
        LiveRuns.SkipUnless(KernelFeature.RemoteAccess);
        Skip.If(LiveRuns.Facts.ProcMemForce != "always", $"/proc/PID/mem forced writes are '{LiveRuns.Facts.ProcMemForce}' here, not 'always'");

        // FOLL_FORCE|FOLL_WRITE on a R/O private mapping: the write fault COWs into an anonymous page (the path of
        // Dirty COW); the file and the child, which shares the original, keep the old data.
        LiveRuns.AgreeingAndPassing("""
            f = memfd 4K
            p = process
            m = mmap p 4K prot=r file=f
            old = read p m 4K
            c = fork p
            h = get_user_pages_remote p m 1 write|force
            device_write h 0x5a
            put_pages h
            expect "the forced write reached the parent's mapping": read p m 4K == 0x5a
            expect "the child still maps the file page": read c m 4K == old
            expect "the file is unchanged": file_read f 4K == old
            h2 = get_user_pages_remote p m 1 force
            expect "a forced read sees the private copy": device_read h2 == 0x5a
            put_pages h2
            """);
    }

    [Fact]
    public void A_remote_reference_held_across_other_steps_is_skipped_with_the_reason()
    {
        var facts = LiveRuns.Facts with { Compiler = "/usr/bin/gcc", IsLinux = true, ProcMemForce = "always" };
        var held = LiveRuns.Live("p = process\nm = mmap p 4K\nh = pin_user_pages_remote p m 1 write\nc = fork p\ndevice_write h 1\nexpect \"x\": read p m 4K == 1\n", facts);
        Assert.Equal(LiveOutcome.Skipped, held.Outcome);
        Assert.Contains("would be held across 'fork'", held.Reason, StringComparison.Ordinal);
        Assert.Contains("test.cow:6", held.ReasonWithLocation, StringComparison.Ordinal);

        var unforced = LiveRuns.Live("p = process\nm = mmap p 4K\nh = get_user_pages_remote p m 1 write\ndevice_write h 1\nput_pages h\nexpect \"x\": read p m 4K == 1\n", facts);
        Assert.Equal(LiveOutcome.Skipped, unforced.Outcome);
        Assert.Contains("/proc/PID/mem reads with Force and writes with Write, Force", unforced.Reason, StringComparison.Ordinal);

        var wrongWay = LiveRuns.Live("p = process\nm = mmap p 4K\nh = pin_user_pages_remote p m 1 write\nexpect \"x\": device_read h == 0\n", facts);
        Assert.Equal(LiveOutcome.Skipped, wrongWay.Outcome);
        Assert.Contains("only writes", wrongWay.Reason, StringComparison.Ordinal);
    }
}
