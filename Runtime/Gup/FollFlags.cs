namespace CowGuard.VmModel;

/// <summary>
/// Flags of a get_user_pages-style call, after <c>enum foll_flags</c> in include/linux/mm_types.h (6.2+ bit values
/// where the kernel has the flag). <see cref="Gup"/> decides FOLL_GET vs FOLL_PIN from the entry point, so those
/// internal flags are not part of this public enum.
/// </summary>
[Flags]
public enum FollFlags
{
    /// <summary>Read-only reference: the caller promises not to write through the page.</summary>
    None = 0,

    /// <summary>FOLL_WRITE: need a writable PTE; triggers a write fault (COW) first if the PTE is read-only.</summary>
    Write = 1 << 0,

    /// <summary>FOLL_DUMP: report holes as errors instead of returning the zero page (core dumps).</summary>
    Dump = 1 << 2,

    /// <summary>FOLL_FORCE: ignore VMA permissions (ptrace, /proc/pid/mem): write to a private read-only mapping via COW.</summary>
    Force = 1 << 3,

    /// <summary>FOLL_NOFAULT: never fault pages in; fail on anything not already mapped.</summary>
    NoFault = 1 << 5,

    /// <summary>FOLL_ANON: refuse file-backed mappings.</summary>
    Anon = 1 << 7,

    /// <summary>FOLL_LONGTERM: the reference is held indefinitely (RDMA, VFIO, io_uring fixed buffers). Pins only.</summary>
    Longterm = 1 << 8,

    /// <summary>
    /// Break COW without write intent: the model's FAULT_FLAG_UNSHARE requested explicitly. The caller ends up with a
    /// page exclusive to its own mm, mapped read-only. Mainline never had this as a FOLL flag (Peter Xu's 2020
    /// FOLL_BREAK_COW was not merged; 5.19+ derives unshare from <c>gup_must_unshare()</c>); the model exposes it so
    /// that code can state "break COW" without claiming to write. Cannot be combined with <see cref="Write"/>.
    /// </summary>
    BreakCow = 1 << 20,
}
