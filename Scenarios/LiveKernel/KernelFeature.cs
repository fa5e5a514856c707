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
}
