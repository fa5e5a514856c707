using CowGuard.Scenarios.LiveKernel;
using CowGuard.Scenarios.Loading;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// The live backend on small hand-written scenarios: what is skipped and why, what is left unchecked, how runtime
/// faults are reported, and (on Linux with gcc) that real programs give the kernel's answers.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class LiveBackendTests
{
    private const string Header = "scenario \"t\"\nverdict M=pass F=pass R=pass X=pass\n";

    private static readonly KernelFacts Facts = KernelFacts.Detect();

    private static LiveKernelResult Run(string body, KernelFacts? facts = null)
    {
        var instance = ScenarioLoader.LoadText(TestFiles.VirtualPath, Header + body).Single();
        return new LiveKernelBackend(facts ?? Facts, TimeSpan.FromSeconds(60)).Run(instance);
    }

    [Fact]
    public void A_read_only_pin_is_skipped_because_it_has_no_system_call()
    {
        var result = Run("p = process\nm = mmap p 4K\nfill p m 4K 1\nh = pin_user_pages p m 1 longterm\nexpect \"x\": device_read h == 1\n", Facts with { Compiler = "/usr/bin/gcc", IsLinux = true, HasGupTest = false });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains("R/O FOLL_PIN", result.Reason, StringComparison.Ordinal);
        Assert.Contains("gup_test", result.Reason, StringComparison.Ordinal);
        Assert.Contains("test.cow:6", result.ReasonWithLocation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_FOLL_flag_combination_without_a_system_call_skips_with_the_reason()
    {
        var result = Run("p = process\nm = mmap p 4K\nh = pin_user_pages p m 1 write|force\nexpect \"x\": read p m 4K == 0\n", Facts with { Compiler = "/usr/bin/gcc", IsLinux = true });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains("no system-call equivalent", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("madvise p m 4K mergeable\nksm_merge\n", "no KSM (CONFIG_KSM off")]
    [InlineData("uffd_wp p m 4K on\n", "no userfaultfd (CONFIG_USERFAULTFD off")]
    [InlineData("x = pfn p m\nexpect \"y\": pfn p m == x\n", "page frame numbers only to CAP_SYS_ADMIN")]
    public void A_missing_kernel_feature_skips_with_the_reason(string operations, string reason)
    {
        var facts = Facts with { Compiler = "/usr/bin/gcc", IsLinux = true, HasKsm = false, HasUserfaultfd = false, HasSysAdminCapability = false };
        var result = Run("p = process\nm = mmap p 4K\nfill p m 4K 1\n" + operations + "expect \"x\": read p m 4K == 1\n", facts);
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_frame_number_compared_with_a_constant_is_left_unchecked()
    {
        var result = Run("p = process\nm = mmap p 4K\nfill p m 4K 1\nexpect \"pfn\": pfn p m == 5\n", Facts with { Compiler = "/usr/bin/gcc", IsLinux = true });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains("none of its checks can be observed on a live kernel (\"pfn\")", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_refs_without_soft_dirty_is_skipped_not_passed()
    {
        var result = Run("p = process\nm = mmap p 4K\nclear_refs p\nexpect \"x\": read p m 4K == 0\n", Facts with { Compiler = "/usr/bin/gcc", IsLinux = true, SoftDirty = false });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains("CONFIG_MEM_SOFT_DIRTY", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_compiler_everything_is_skipped_with_that_reason()
    {
        var result = Run("p = process\nm = mmap p 4K\nexpect \"x\": read p m 4K == 0\n", Facts with { Compiler = null });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains(Facts.IsLinux ? "no C compiler" : "not Linux", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_whose_checks_are_all_unobservable_is_skipped()
    {
        var result = Run("p = process\nm = mmap p 4K\nfill p m 4K 1\nexpect \"rc\": refcount p m == 1\n", Facts with { Compiler = "/usr/bin/gcc", IsLinux = true });
        Assert.Equal(LiveOutcome.Skipped, result.Outcome);
        Assert.Contains("\"rc\"", result.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_vmsplice_leak_is_absent_on_base_pages_and_unobservable_checks_are_listed()
    {
        LiveRuns.SkipUnless();

        var result = Run("""
            p = process
            m = mmap p 4K
            madvise p m 4K nohugepage
            fill p m 4K 1
            c = fork p
            old = read c m 4K
            pipe = vmsplice c m 4K
            munmap c m 4K
            fill p m 4K 0xff
            expect "exclusive": exclusive p m == 1
            expect "no leak": pipe_read pipe == old
            expect "parent wrote": read p m 4K == 0xff
            expect "present": present p m == 1
            exit c
            """);
        Assert.True(result.Outcome == LiveOutcome.Ran, result.Reason);
        Assert.Equal(["no leak", "parent wrote", "present"], result.Checks.Select(c => c.Label));
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
        Assert.Equal(["exclusive"], result.Unchecked.Select(c => c.Label));
    }

    [SkippableFact]
    public void A_failing_check_prints_both_values()
    {
        LiveRuns.SkipUnless();

        var result = Run("p = process\nm = mmap p 8K\nfill p m 4K 7\nexpect \"all sevens\": read p m 8K == 7\nexpect \"differs\": read p m 4K != 7\n");
        Assert.Equal(LiveOutcome.Ran, result.Outcome);
        Assert.Equal(Scenarios.Verdicts.Verdict.Fail, result.Observed);
        Assert.StartsWith("FAIL all sevens: observed mixed bytes (8192 bytes", result.Checks[0].Format(), StringComparison.Ordinal);
        Assert.Equal("FAIL differs: observed 0x07×4096, expected not 7 (live kernel)", result.Checks[1].Format());
    }

    [SkippableFact]
    public void A_fault_in_a_process_is_an_error_with_the_scenario_location()
    {
        LiveRuns.SkipUnless();

        var result = Run("p = process\nm = mmap p 4K prot=r\nfill p m 4K 1\nexpect \"x\": read p m 4K == 1\n");
        Assert.Equal(LiveOutcome.Error, result.Outcome);
        Assert.Equal("test.cow:5:1: SIGSEGV while accessing memory", result.Reason);
    }

    [SkippableFact]
    public void A_bad_system_call_argument_is_an_error_with_the_cause()
    {
        LiveRuns.SkipUnless();

        var result = Run("p = process\nm = mmap p 4K\nmprotect p m + 1 4K r\nexpect \"x\": read p m 4K == 0\n");
        Assert.Equal(LiveOutcome.Error, result.Outcome);
        Assert.Contains("test.cow:5:1: mprotect(", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Invalid argument", result.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_io_uring_pin_survives_fork_and_sees_device_writes()
    {
        LiveRuns.SkipUnless(KernelFeature.IoUring);

        var result = Run("""
            p = process
            m = mmap p 4K
            fill p m 4K 1
            h = pin_user_pages_fast p m 1 write|longterm
            c = fork p
            fill p m 4K 0xff
            expect "device sees the parent's write": device_read h == 0xff
            device_write h 9
            expect "parent sees the device's write": read p m 4K == 9
            expect "child kept its copy": read c m 4K == 1
            unpin_user_pages h
            """);
        Assert.True(result.Outcome == LiveOutcome.Ran, result.Reason);
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
    }

    [SkippableFact]
    public void Try_turns_a_fault_into_its_name_instead_of_an_error()
    {
        LiveRuns.SkipUnless();

        var result = Run("""
            p = process
            m = mmap p 4K prot=r
            denied = try fill p m 4K 1
            bad = try mprotect p m + 1 4K rw
            fine = try read p m 4K
            expect "write to a R/O mapping faults": denied == "SIGSEGV"
            expect "unaligned mprotect fails": bad == "EINVAL"
            expect "reading works": fine == "ok"
            """);
        Assert.True(result.Outcome == LiveOutcome.Ran, result.Reason);
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
    }

    [SkippableFact]
    public void Pageout_in_the_scenario_body_reports_what_the_kernel_did()
    {
        LiveRuns.SkipUnless(KernelFeature.IoUring);

        using var swap = Facts.SwapActive ? null : TemporarySwapFile.TryCreate(Facts, 64, out _);
        var facts = KernelFacts.Detect();
        Skip.IfNot(facts.SwapActive, "not root and no swap: nothing to page out to");

        // folio_try_share_anon_rmap refuses to unmap a maybe-pinned page (5.19+): the pinned page stays in memory.
        var result = Run("""
            p = process
            m = mmap p 4K
            fill p m 4K 1
            h = pin_user_pages p m 1 write|longterm
            madvise p m 4K pageout
            expect "pinned page not swapped": swapped p m == 0
            """, facts);
        Assert.True(result.Outcome == LiveOutcome.Ran, result.Reason);
        Assert.True(result.Checks[0].Passed, result.Checks[0].Format());
    }

    [SkippableFact]
    public void A_run_that_sets_thp_sizes_and_hugetlb_pools_leaves_the_machine_as_it_was()
    {
        LiveRuns.SkipUnless();
        Skip.IfNot(
            Facts.IsRoot && Facts.ThpSizes.ContainsKey(16 << 10) && Facts.FreeHugetlbPages.ContainsKey(2 << 20),
            "needs root, a 16 KiB mTHP size and free 2 MiB hugetlb pages");

        var before = KernelFacts.Detect();
        var result = Run("""
            thp_enabled 16K always
            nr_hugepages 2M 2
            p = process
            m = mmap p 2M hugetlb=2M
            fill p m 2M 3
            t = mmap p 16K align=16K
            madvise p t 16K hugepage
            fill p t 16K 4
            expect "hugetlb page filled": read p m 2M == 3
            expect "mTHP filled": read p t 16K == 4
            """);
        Assert.True(result.Outcome == LiveOutcome.Ran, result.Reason);
        Assert.All(result.Checks, c => Assert.True(c.Passed, c.Format()));
        var after = KernelFacts.Detect();
        Assert.Equal(before.ThpSizes, after.ThpSizes);
        Assert.Equal(before.FreeHugetlbPages, after.FreeHugetlbPages);
    }
}
