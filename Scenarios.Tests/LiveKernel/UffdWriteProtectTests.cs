using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// uffd_wp on the live kernel: UFFDIO_REGISTER_MODE_WP + UFFDIO_WRITEPROTECT in the agent, the driver as the fault
/// handler. A write to a protected page raises a userfault (the model's UserfaultException); a read GUP does not.
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class UffdWriteProtectTests
{
    [SkippableFact]
    public void A_read_GUP_on_a_protected_range_raises_no_userfault_but_a_write_does()
    {
        LiveRuns.SkipUnless(KernelFeature.Userfaultfd);

        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 8K
            fill p m 8K 1
            uffd_wp p m 8K on
            gup = try get_user_pages p m 2 none
            written = try fill p m + 4K 4K 2
            expect "a read GUP raises no write-protect fault": gup == "ok"
            expect "a write to a protected page is a userfault": written == "userfault"
            expect "the untouched page keeps its data": read p m 4K == 1
            """);
    }

    [SkippableFact]
    public void Resolving_the_protection_lets_writes_through()
    {
        LiveRuns.SkipUnless(KernelFeature.Userfaultfd);

        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 4K
            fill p m 4K 1
            uffd_wp p m 4K on
            uffd_wp p m 4K off
            written = try fill p m 4K 3
            expect "no userfault after UFFDIO_WRITEPROTECT mode 0": written == "ok"
            expect "the write landed": read p m 4K == 3
            """);
    }

    [SkippableFact]
    public void A_fork_child_is_not_write_protected()
    {
        LiveRuns.SkipUnless(KernelFeature.Userfaultfd);

        // No UFFD_FEATURE_EVENT_FORK: dup_userfaultfd drops the registration, copy_present_pte the uffd-wp bits.
        LiveRuns.AgreeingAndPassing("""
            p = process
            m = mmap p 4K
            fill p m 4K 1
            uffd_wp p m 4K on
            c = fork p
            child = try fill c m 4K 4
            parent = try fill p m 4K 5
            expect "the child writes freely": child == "ok"
            expect "the parent is still protected": parent == "userfault"
            expect "the child has its own copy": read c m 4K == 4
            """);
    }

    [SkippableFact]
    public void An_unexpected_userfault_is_an_error_with_the_location()
    {
        LiveRuns.SkipUnless(KernelFeature.Userfaultfd);

        const string WriteToProtectedPage = "p = process\nm = mmap p 4K\nfill p m 4K 1\nuffd_wp p m 4K on\nfill p m 4K 2\nexpect \"x\": read p m 4K == 2\n";
        var live = LiveRuns.Live(WriteToProtectedPage);
        Assert.Equal(LiveOutcome.Error, live.Outcome);
        Assert.Equal("test.cow:7:1: write to a uffd write-protected page (handle_userfault, resolved by the driver)", live.Reason);
        Assert.StartsWith("test.cow:7:1: ", LiveRuns.Model(WriteToProtectedPage).Error!.Message, StringComparison.Ordinal);
    }
}
