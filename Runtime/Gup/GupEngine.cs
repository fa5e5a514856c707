using System.Runtime.CompilerServices;

namespace CowGuard.VmModel;

/// <summary>
/// mm/gup.c: the slow walk (__get_user_pages: check_vma_flags, follow_page_pte, faultin_page, retry) under mmap_lock
/// held for read, the lockless fast walk (gup_fast, GupEngine.Fast.cs) with its fall-back rules, and reference
/// accounting (try_grab_folio / gup_put_folio). Like the kernel, a walk that fails part-way keeps what it took and
/// reports the count (__get_user_pages: <c>return i ? i : ret</c>); one that fails on its first page takes nothing
/// and throws. Callers hold the stop_machine barrier shared.
/// </summary>
internal sealed partial class GupEngine(Machine machine)
{
    private const FollFlags KnownFlags = FollFlags.Write | FollFlags.Dump | FollFlags.Force | FollFlags.NoFault
        | FollFlags.Anon | FollFlags.Longterm | FollFlags.BreakCow;

    private const int MaxRetries = 8;

    /// <summary>
    /// gup_fast_fallback (fast walk, then the slow walk for the rest) or __get_user_pages_locked: the pages from
    /// <paramref name="start"/> up to the first that cannot be taken, with the error that stopped the walk there
    /// (null when all <paramref name="nrPages"/> were taken). Throws that error when not even the first page could be
    /// taken, as the kernel then returns it instead of a count.
    /// </summary>
    public GupTaken Take(VmProcess mm, ulong start, int nrPages, FollFlags flags, PageReferenceKind kind, GupWalk walk)
    {
        var operation = kind == PageReferenceKind.Pin ? "pin_user_pages" : "get_user_pages";
        mm.EnsureAlive(operation);
        Validate(start, nrPages, flags, kind);
        if (kind == PageReferenceKind.Pin)
            mm.HasPinned = true; // mm_set_has_pinned_flag runs before the walk
        var taken = PageRefArrays.Rent(nrPages);
        var count = 0;
        try
        {
            if (walk == GupWalk.Fast)
                Fast(mm, start, nrPages, flags, kind, taken, ref count);
            if (count < nrPages)
            {
                using (mm.MmapLock.Read())
                {
                    mm.EnsureAlive(operation);
                    Slow(mm, start, nrPages, flags, kind, walk == GupWalk.Remote, taken, ref count);
                }
            }
        }
        catch (VmException stop) when (count > 0)
        {
            return new GupTaken(taken, count, stop);
        }
        catch
        {
            PageRefArrays.Return(taken, count);
            throw;
        }

        return new GupTaken(taken, nrPages, null);
    }

    /// <summary>follow_page (mmap_lock held for read): look up only, never fault; a FOLL_GET reference or nothing.</summary>
    public PageRef? FollowPage(VmProcess mm, ulong address, FollFlags flags)
    {
        mm.EnsureAlive("follow_page");
        Validate(address, 1, flags, PageReferenceKind.Get);
        var vma = mm.FindVma(address);
        if (vma is null)
            return null;
        using (mm.PageTableLock.Lock())
        {
            var pte = vma.PteAt(address);
            if (!pte.IsPresent)
                return null;
            if (pte.Folio!.IsZero && (flags & FollFlags.Dump) != 0)
                return null;
            if ((flags & (FollFlags.Write | FollFlags.BreakCow)) != 0 && !pte.IsWrite)
                return null; // follow_page cannot fault, so it cannot break COW
            return Grab(mm, address, pte.Folio, pte.Index, PageReferenceKind.Get, "follow_page");
        }
    }

    /// <summary>gup_put_folio / unpin_user_page(s)_dirty_lock for one page, traced.</summary>
    public void Release(VmProcess? mm, ulong address, PageRef page, PageReferenceKind kind, bool makeDirty)
    {
        var folio = page.Folio;
        if (folio.IsZero)
            return;
        if (!machine.Events.Enabled)
        {
            DropReference(mm?.Name ?? "", address, page, kind, makeDirty);
            return;
        }

        var before = machine.Snap(folio, page.Index);
        DropReference(mm?.Name ?? "", address, page, kind, makeDirty);
        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Put : VmEventKind.Unpin, mm, address, before,
            folio.Freed ? null : machine.Snap(folio, page.Index), makeDirty ? "dirty" : "");
    }

    /// <summary>unpin_user_pages / put_page over a handle's pages, the first at <paramref name="start"/>.</summary>
    public void ReleaseAll(VmProcess? mm, ulong start, ReadOnlySpan<PageRef> pages, PageReferenceKind kind, bool makeDirty)
    {
        if (machine.Events.Enabled)
        {
            for (var i = 0; i < pages.Length; i++)
                Release(mm, start + ((ulong)i << PageGeometry.PageShift), pages[i], kind, makeDirty);
            return;
        }

        var process = mm?.Name ?? "";
        var memory = machine.Memory;
        for (var i = 0; i < pages.Length; i++)
        {
            var folio = pages[i].Folio;
            if (kind == PageReferenceKind.Pin && !folio.IsLarge && !folio.IsZero)
            {
                // DropReference's path for the common page, without the call: unpin a small folio.
                if (makeDirty)
                    folio.Dirty = true;
                memory.Unpin(folio, process, start + ((ulong)i << PageGeometry.PageShift));
            }
            else
            {
                DropReference(process, start + ((ulong)i << PageGeometry.PageShift), pages[i], kind, makeDirty);
            }
        }
    }

    private static void Validate(ulong start, int nrPages, FollFlags flags, PageReferenceKind kind)
    {
        if (!PageGeometry.IsPageAligned(start))
            throw new InvalidVmArgumentException(start, "EINVAL: GUP start address is not page aligned");
        if (nrPages <= 0)
            throw new InvalidVmArgumentException(start, $"EINVAL: nr_pages {nrPages} must be positive");
        if ((flags & ~KnownFlags) != 0)
            throw new InvalidVmArgumentException(start, $"EINVAL: unknown GUP flags 0x{(int)(flags & ~KnownFlags):x}");
        if ((flags & FollFlags.Write) != 0 && (flags & FollFlags.BreakCow) != 0)
            throw new InvalidVmArgumentException(start, "EINVAL: FOLL_WRITE together with BreakCow (unshare never comes with a write fault)");
        if ((flags & FollFlags.Longterm) != 0 && kind == PageReferenceKind.Get)
            throw new InvalidVmArgumentException(start, "EINVAL: FOLL_LONGTERM is only valid when pinning (is_valid_gup_args)");
        if (start + ((ulong)nrPages << PageGeometry.PageShift) < start)
            throw new InvalidVmArgumentException(start, "EINVAL: GUP range wraps around");
    }

    /// <summary>
    /// __get_user_pages from page <paramref name="count"/> on (mmap_lock held for read): find_vma and check_vma_flags
    /// once per VMA, as the kernel does only when the walk crosses vma->vm_end, then the VMA's entries directly.
    /// </summary>
    private void Slow(VmProcess mm, ulong start, int nrPages, FollFlags flags, PageReferenceKind kind, bool remote, PageRef[] taken, ref int count)
    {
        while (count < nrPages)
        {
            var address = start + ((ulong)count << PageGeometry.PageShift);
            var vma = mm.FindVma(address) ?? throw new BadAddressException(address, "EFAULT: no VMA covers the GUP address");
            var effective = machine.Era.ShouldForceCowBreak(vma, flags) ? flags | FollFlags.Write : flags;
            CheckVmaFlags(vma, address, flags);
            var end = (int)Math.Min((ulong)nrPages, (ulong)count + ((vma.End - address) >> PageGeometry.PageShift));
            SlowVma(mm, vma, start, end, flags, effective, kind, remote ? "remote" : "", taken, ref count);
        }
    }

    /// <summary>
    /// The pages of one VMA, one PTE page per PTL acquisition (follow_page_pte's pte_offset_map_lock): every page whose
    /// entry allows the reference is taken under that one lock; at the first that needs a fault the PTL is dropped and
    /// that page is faulted in and taken on its own (<see cref="FaultInAndFollow"/>), then the run resumes.
    /// </summary>
    private void SlowVma(VmProcess mm, VmArea vma, ulong start, int end, FollFlags flags, FollFlags effective, PageReferenceKind kind, string detail, PageRef[] taken, ref int count)
    {
        var forcedCowBreak = (effective & FollFlags.Write) != 0 && (flags & FollFlags.Write) == 0;
        var pin = kind == PageReferenceKind.Pin;
        var next = count;
        while (next < end)
        {
            bool needsFault;
            using (mm.PageTableLock.Lock())
            {
                var first = start + ((ulong)next << PageGeometry.PageShift);
                var runEnd = Math.Min(end, next + PtesLeftInPtePage(first));
                // The run's entries, in one span: the PTE page the kernel maps once per PTL acquisition.
                var ptes = vma.Ptes.AsSpan(vma.IndexOf(first), runEnd - next);
                var pages = taken.AsSpan(next, runEnd - next);
                var i = forcedCowBreak || machine.Events.Enabled ? 0 : GrabMapped(ptes, pages, flags, kind);
                for (; i < ptes.Length; i++)
                {
                    count = next + i; // exact when this entry's checks throw: a short walk keeps what it took
                    var address = first + ((ulong)i << PageGeometry.PageShift);
                    if (forcedCowBreak)
                        machine.Trace(VmEventKind.ForcedCowBreak, mm, address, null, null, "should_force_cow_break: FOLL_WRITE added on a COW mapping");
                    ref readonly var pte = ref ptes[i];
                    if (!CanTakeAsMapped(pte, flags) && FaultNeeded(vma, address, pte, flags, effective, pin, cowCycleDone: false, unshareTried: false) is not null)
                        break;
                    pages[i] = Grab(mm, address, pte.Folio!, pte.Index, kind, detail);
                }

                next += i;
                count = next;
                needsFault = i < ptes.Length;
            }

            if (needsFault)
            {
                taken[next] = FaultInAndFollow(mm, vma, start + ((ulong)next << PageGeometry.PageShift), flags, effective, kind, detail);
                count = ++next;
            }
        }
    }

    /// <summary>
    /// The untraced common case of a run (PTL held): the entries <see cref="CanTakeAsMapped"/> accepts, grabbed without
    /// a trace event, up to the first it does not (the caller's general loop goes on from there). Returns how many.
    /// </summary>
    private static int GrabMapped(ReadOnlySpan<Pte> ptes, Span<PageRef> pages, FollFlags flags, PageReferenceKind kind)
    {
        if ((flags & FollFlags.Dump) != 0)
            return 0;
        var i = 0;
        for (; i < ptes.Length && i < pages.Length; i++)
        {
            ref readonly var pte = ref ptes[i];
            if ((pte.Bits & (PteBits.Present | PteBits.Write)) != (PteBits.Present | PteBits.Write))
                break;
            var folio = pte.Folio!;
            if (!TryGrab(folio, pte.Index, kind))
                throw GrabbedFreedFolio(folio);
            pages[i] = new PageRef(folio, pte.Index);
        }

        return i;
    }

    /// <summary>The entries from this address to the end of its PTE page (512 entries, 2 MiB aligned).</summary>
    private static int PtesLeftInPtePage(ulong address) =>
        (1 << PageGeometry.PmdOrder) - (int)((address >> PageGeometry.PageShift) & ((1 << PageGeometry.PmdOrder) - 1));

    /// <summary>
    /// One page of __get_user_pages that needs a fault: faultin_page with the PTL dropped, then follow_page_pte again
    /// under it — another thread of the mm may have changed the entry meanwhile — until the page can be taken.
    /// </summary>
    private PageRef FaultInAndFollow(VmProcess mm, VmArea vma, ulong address, FollFlags flags, FollFlags effective, PageReferenceKind kind, string detail)
    {
        var pin = kind == PageReferenceKind.Pin;
        var write = (effective & FollFlags.Write) != 0;
        var cowCycleDone = false;
        var unshareTried = false;
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            FaultFlags fault;
            using (mm.PageTableLock.Lock())
            {
                ref readonly var pte = ref vma.PteAt(address);
                if (FaultNeeded(vma, address, pte, flags, effective, pin, cowCycleDone, unshareTried) is not { } needed)
                    return Grab(mm, address, pte.Folio!, pte.Index, kind, detail);
                fault = needed;
            }

            FaultIn(mm, vma, address, flags, fault);
            if (fault == FaultFlags.Unshare)
                unshareTried = true;
            else
                cowCycleDone |= write;
        }

        throw new InvariantViolationException($"GUP at 0x{address:x} did not converge after {MaxRetries} faults");
    }

    /// <summary>
    /// The common case of <see cref="FaultNeeded"/>, cheap enough for every page of a long walk: a present, writable
    /// entry (never the zero page, which is mapped read-only) is taken as mapped in every era and for every flag but
    /// FOLL_DUMP, whose zero-page check <see cref="FaultNeeded"/> makes.
    /// </summary>
    private static bool CanTakeAsMapped(in Pte pte, FollFlags flags) =>
        (pte.Bits & (PteBits.Present | PteBits.Write)) == (PteBits.Present | PteBits.Write) && (flags & FollFlags.Dump) == 0;

    /// <summary>
    /// follow_page_pte's verdict on one entry (PTL held): null when the page can be taken as mapped, otherwise the
    /// fault that must run first — a missing page, a write to a R/O entry that FOLL_FORCE may not follow, or an unshare.
    /// </summary>
    private FaultFlags? FaultNeeded(VmArea vma, ulong address, in Pte pte, FollFlags flags, FollFlags effective, bool pin, bool cowCycleDone, bool unshareTried)
    {
        var write = (effective & FollFlags.Write) != 0;
        if (!pte.IsPresent)
        {
            if ((flags & FollFlags.Dump) != 0 && pte.IsNone)
                throw new BadAddressException(address, "EFAULT: FOLL_DUMP on a hole");
            return write ? FaultFlags.Write : FaultFlags.None;
        }

        var folio = pte.Folio!;
        if (folio.IsZero && (flags & FollFlags.Dump) != 0)
            throw new BadAddressException(address, "EFAULT: FOLL_DUMP on the zero page");
        if (pte.IsWrite)
            return null;
        if (write)
            return vma.Has(VmFlags.Write) || !machine.Era.CanFollowWritePte(pte, cowCycleDone) ? FaultFlags.Write : null;
        if (!unshareTried && ((flags & FollFlags.BreakCow) != 0 || machine.Era.GupMustUnshare(vma, effective, pin, folio, pte.Index)))
            return FaultFlags.Unshare;
        return null;
    }

    private void FaultIn(VmProcess mm, VmArea vma, ulong address, FollFlags flags, FaultFlags faultFlags)
    {
        if ((flags & FollFlags.NoFault) != 0)
            throw new BadAddressException(address, "EFAULT: FOLL_NOFAULT and the page needs a fault");
        try
        {
            machine.Faults.HandleFault(mm, vma, address, faultFlags);
        }
        catch (BusErrorException e)
        {
            // faultin_page: vm_fault_to_errno turns VM_FAULT_SIGBUS into -EFAULT for the GUP caller; no signal.
            throw new BadAddressException(address, $"EFAULT: the fault returned VM_FAULT_SIGBUS ({e.Cause})");
        }
    }

    /// <summary>check_vma_flags (on the caller's flags: 5.8's forced write did not need VM_WRITE).</summary>
    private static void CheckVmaFlags(VmArea vma, ulong address, FollFlags flags)
    {
        if ((flags & FollFlags.Anon) != 0 && !vma.IsAnonymous)
            throw new BadAddressException(address, "EFAULT: FOLL_ANON on a file mapping");
        var force = (flags & FollFlags.Force) != 0;
        if ((flags & FollFlags.Write) != 0 && !vma.Has(VmFlags.Write))
        {
            if (!force)
                throw new BadAddressException(address, "EFAULT: write GUP on a mapping without PROT_WRITE");
            if (!vma.IsCowMapping)
                throw new BadAddressException(address, "EFAULT: FOLL_FORCE write on a shared read-only mapping");
        }

        if (!vma.Has(VmFlags.Read) && !force)
            throw new BadAddressException(address, "EFAULT: GUP on a PROT_NONE mapping");
    }

    /// <summary>try_grab_folio with the entry verified under the PTL, then the trace event.</summary>
    private PageRef Grab(VmProcess mm, ulong address, Folio folio, int index, PageReferenceKind kind, string detail)
    {
        if (!machine.Events.Enabled)
        {
            if (!TryGrab(folio, index, kind))
                throw GrabbedFreedFolio(folio);
            return new PageRef(folio, index);
        }

        var before = machine.Snap(folio, index);
        if (!TryGrab(folio, index, kind))
            throw GrabbedFreedFolio(folio);
        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Get : VmEventKind.Pin, mm, address, before,
            machine.Snap(folio, index), detail);
        return new PageRef(folio, index);
    }

    private static InvariantViolationException GrabbedFreedFolio(Folio folio) =>
        new($"reference taken on freed folio pfn {folio.Pfn}");

    /// <summary>
    /// try_grab_folio: FOLL_GET adds a reference, FOLL_PIN adds GUP_PIN_COUNTING_BIAS (small folios) or one reference
    /// and one _pincount (large folios) — with folio_try_get semantics, failing on a folio whose refcount reached 0. A
    /// small folio's pin is the one atomic of the kernel (the model's pin ledger shares the refcount word).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGrab(Folio folio, int index, PageReferenceKind kind) =>
        kind == PageReferenceKind.Pin && !folio.IsLarge && !folio.IsZero
            ? folio.TryPin(Folio.GupPinCountingBias)
            : TryGrabOther(folio, index, kind);

    /// <summary><see cref="TryGrab"/> for everything but a pin on a small folio.</summary>
    private static bool TryGrabOther(Folio folio, int index, PageReferenceKind kind)
    {
        if (folio.IsZero)
            return true;
        if (kind == PageReferenceKind.Get)
        {
            if (!folio.TryGet(1))
                return false;
            folio.AddGets(index, 1);
            return true;
        }

        if (!folio.IsLarge)
            return folio.TryPin(Folio.GupPinCountingBias);
        if (!folio.TryPin(1))
            return false;
        folio.AddPinCount(1);
        folio.AddPagePins(index, 1);
        return true;
    }

    /// <summary>gup_put_folio: undoes <see cref="TryGrab"/>, freeing the folio if that was its last reference.</summary>
    private void DropReference(string process, ulong address, PageRef page, PageReferenceKind kind, bool makeDirty)
    {
        var folio = page.Folio;
        if (folio.IsZero)
            return;
        if (kind == PageReferenceKind.Get)
        {
            folio.AddGets(page.Index, -1);
            machine.Memory.Put(folio, 1, process, address);
            return;
        }

        if (folio.IsLarge)
        {
            folio.AddPagePins(page.Index, -1);
            folio.AddPinCount(-1);
        }

        if (makeDirty)
            folio.Dirty = true;
        machine.Memory.Unpin(folio, process, address);
    }
}
