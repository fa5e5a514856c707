namespace CowGuard.Scenarios.LiveKernel;

/// <summary>Kernel or machine features a translated scenario needs beyond plain mmap/fork/pipes.</summary>
internal enum KernelFeature
{
    /// <summary>MADV_PAGEOUT / swap_out only swap if a swap device is active.</summary>
    Swap,

    /// <summary>clear_refs 4 write-protects PTEs only with CONFIG_MEM_SOFT_DIRTY; without it the write is accepted and does nothing.</summary>
    SoftDirty,

    /// <summary>io_uring fixed buffers (IORING_REGISTER_BUFFERS) for long-term R/W pins.</summary>
    IoUring,

    /// <summary>uffd_wp: a userfaultfd whose handler also sees kernel-mode (GUP) faults.</summary>
    Userfaultfd,

    /// <summary>ksm_merge and MADV_(UN)MERGEABLE: CONFIG_KSM and the right to run ksmd.</summary>
    Ksm,

    /// <summary>pfn: /proc/PID/pagemap with the page frame numbers (CAP_SYS_ADMIN).</summary>
    PageFrameNumbers,

    /// <summary>Remote GUP through process_vm_readv/writev and /proc/PID/mem (ptrace access to another process).</summary>
    RemoteAccess,
}
