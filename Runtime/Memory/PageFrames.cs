using System.Runtime.CompilerServices;

namespace CowGuard.VmModel;

/// <summary>
/// Model device: the memory behind page contents that stopped being uniform. A page stores one fill byte until a
/// write makes it differ; a few differing bytes go into a 64-byte patch (<see cref="PagePatch"/>), more into a 4 KiB
/// frame. Both are slots of slab pools (<see cref="SlabPool"/>) recycled when the page is freed or becomes uniform
/// again, so a COW copy, a swap-in or a materialising write allocates nothing on the managed heap in the steady state,
/// and freeing a page leaves no garbage (the kernel's page frames are memory that exists whether or not a page uses
/// it). Patches keep sparsely written pages from touching 4 KiB of new host memory each (a host page fault per frame
/// on a virtualised host) and keep a user access to such a page within one cache line. Allocation and freeing are
/// under <see cref="LockClass.PageFrames"/>; a slot's bytes belong to the page that owns its id and are accessed under
/// that page's contents lock (or before the page is reachable).
/// </summary>
internal sealed class PageFrames(LockOrderChecker? lockdep)
{
    private readonly ModelLock _lock = new(LockClass.PageFrames, lockdep);
    private readonly SlabPool _frames = new(PageGeometry.PageShift);
    private readonly SlabPool _patches = new(PagePatch.SizeShift);

    /// <summary>Frames owned by pages or swap slots (for the invariant checker; quiescent machine only).</summary>
    public int InUse => _frames.InUse;

    /// <summary>Patches owned by pages or swap slots (for the invariant checker; quiescent machine only).</summary>
    public int PatchesInUse => _patches.InUse;

    /// <summary>A frame for a page that is about to write all 4096 bytes of it (its old contents are undefined).</summary>
    public int Allocate()
    {
        using (_lock.Lock())
            return _frames.Allocate();
    }

    public void Free(int frame)
    {
        using (_lock.Lock())
            _frames.Free(frame);
    }

    /// <summary>The 4096 bytes of a frame (the owner holds the page's contents lock).</summary>
    public Span<byte> Bytes(int frame) => _frames.Slot(frame);

    /// <summary>A patch for a page that is about to set its contents (its old contents are undefined).</summary>
    public int AllocatePatch()
    {
        using (_lock.Lock())
            return _patches.Allocate();
    }

    public void FreePatch(int patch)
    {
        using (_lock.Lock())
            _patches.Free(patch);
    }

    /// <summary>A patch's bytes (the owner holds the page's contents lock).</summary>
    public PagePatch Patch(int patch) => new(_patches.Slot(patch));

    /// <summary>
    /// Prefetches the bytes a <see cref="Folio.ContentHint"/> names (the patch, or the frame's line at
    /// <paramref name="offset"/>) without any lock: a user access reads the hint from the page-table entry, so the
    /// page's bytes arrive while it loads the folio rather than after it. The hint may be stale — the slot freed or
    /// another page's by now — which only wastes the prefetch; the access itself still goes through the folio.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on every user access, where a call costs more than the prefetch
    public void Prefetch(int hint, int offset)
    {
        if (hint > 0)
            _patches.Prefetch(hint, 0);
        else if (hint < 0)
            _frames.Prefetch(-hint, offset);
    }
}
