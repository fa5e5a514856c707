using CowGuard.Scenarios.LiveKernel;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel;

/// <summary>
/// Issue 16, item 6: <c>try vmsplice</c> and <c>try io_uring_register</c> run on the live kernel (the reference
/// under <c>try</c> has no name, so it gets a temporary slot like a GUP's) and report the kernel's errno, as the model
/// does: a hole is EFAULT (<c>__get_user_pages</c>: no VMA), a R/O page is EFAULT for a R/W pin (<c>check_vma_flags</c>).
/// </summary>
[Collection(LiveKernelCollection.Name)]
public sealed class TryReferenceLiveTests
{
    [SkippableFact]
    public void Try_vmsplice_reports_EFAULT_on_a_hole_and_ok_on_a_mapped_page()
    {
        LiveRuns.SkipUnless();

        LiveRuns.AgreeingAndPassing("""
            p = process "p"
            m = mmap p 8K
            fill p m 8K 1
            munmap p m + 4K 4K
            hole = try vmsplice p m + 4K 4K
            expect "vmsplice of a hole is EFAULT": hole == "EFAULT"
            mapped = try vmsplice p m 4K
            expect "vmsplice of a mapped page works": mapped == "ok"
            """);
    }

    [SkippableFact]
    public void Try_io_uring_register_reports_EFAULT_for_a_read_only_page_and_ok_for_a_writable_one()
    {
        LiveRuns.SkipUnless(KernelFeature.IoUring);

        LiveRuns.AgreeingAndPassing("""
            p = process "p"
            ro = mmap p 4K prot=r
            refused = try io_uring_register p ro 4K
            expect "registering a R/O page is EFAULT": refused == "EFAULT"
            rw = mmap p 4K
            fill p rw 4K 2
            taken = try io_uring_register p rw 4K
            expect "registering a writable page works": taken == "ok"
            """);
    }
}
