using CowGuard.Scenarios.Bound;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>How a page reference taken by a scenario is held on a live kernel.</summary>
internal enum HandleKind
{
    /// <summary>IORING_REGISTER_BUFFERS: pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) in io_uring/rsrc.c.</summary>
    IoUringPin,

    /// <summary>vmsplice() into a pipe: iov_iter_get_pages2, a R/O FOLL_GET reference that never unshares.</summary>
    VmsplicePipe,

    /// <summary>A remote reference held only while one copy runs (process_vm_readv/writev, /proc/PID/mem): <see cref="RemoteCopy"/>.</summary>
    RemoteCopy,

    /// <summary>
    /// /sys/kernel/debug/gup_test PIN_LONGTERM_TEST_START: pin_user_pages(_fast)(FOLL_LONGTERM) in mm/gup_test.c, the
    /// R/O pin of tools/testing/selftests/mm/cow.c; only on a kernel with CONFIG_GUP_TEST (the guest).
    /// </summary>
    GupTestPin,
}

/// <summary>
/// Which get_user_pages/pin_user_pages calls have a user-space equivalent (kernel-cow-gup.md §5.2), and why the
/// others do not. A R/O pin needs gup_test, which pins with FOLL_LONGTERM always: a R/O pin without FOLL_LONGTERM is
/// taken as a long-term one. For anonymous memory the two differ only in check_and_migrate_movable_pages (a long-term
/// pin first migrates pages out of ZONE_MOVABLE/CMA), and the guest has neither, so the COW decisions are the same
/// (gup_must_unshare and folio_needs_cow_for_dma look at FOLL_PIN, not at FOLL_LONGTERM).
/// </summary>
internal static class GupSubstitute
{
    public static HandleKind Choose(BoundGup gup, bool kernelHasGupTest)
    {
        var kind = ChooseIgnoringPartial(gup, kernelHasGupTest);
        return !gup.Partial || kind == HandleKind.VmsplicePipe
            ? kind
            : throw new UntranslatableException(gup.Location, $"a partial {gup.Verb} has no system-call equivalent: only vmsplice() keeps a short count; io_uring registration and gup_test undo a short pin (io_pin_pages, pin_longterm_test_start), and a remote copy reports bytes, not a held reference");
    }

    private static HandleKind ChooseIgnoringPartial(BoundGup gup, bool kernelHasGupTest)
    {
        var entry = gup.EntryPoint;
        if (entry is GupEntryPoint.GetUserPagesRemote or GupEntryPoint.PinUserPagesRemote)
        {
            return HandleKind.RemoteCopy;
        }

        var isPin = entry is GupEntryPoint.PinUserPages or GupEntryPoint.PinUserPagesFast;
        if (isPin && gup.Flags.HasFlag(FollFlags.Write) && (gup.Flags & ~(FollFlags.Write | FollFlags.Longterm)) == FollFlags.None)
        {
            return HandleKind.IoUringPin;
        }

        if (!isPin && gup.Flags == FollFlags.None)
        {
            return HandleKind.VmsplicePipe;
        }

        if (isPin && (gup.Flags & ~FollFlags.Longterm) == FollFlags.None)
        {
            return kernelHasGupTest
                ? HandleKind.GupTestPin
                : throw new UntranslatableException(gup.Location, $"a R/O FOLL_PIN ({gup.Verb} {gup.Flags}) has no system-call equivalent: this kernel has no /sys/kernel/debug/gup_test (CONFIG_GUP_TEST is off)");
        }

        throw new UntranslatableException(gup.Location, $"{gup.Verb} with FOLL flags {gup.Flags} has no system-call equivalent (only R/W pins via io_uring, R/O FOLL_GET via vmsplice and R/O pins via gup_test do)");
    }
}
