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
        var taken = new PageRef[nrPages];
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
            return new GupTaken(taken[..count], stop);
        }

        return new GupTaken(taken, null);
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
        var before = machine.Snap(folio, page.Index);
        DropReference(mm, address, page, kind, makeDirty);
        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Put : VmEventKind.Unpin, mm, address, before,
            folio.Freed ? null : machine.Snap(folio, page.Index), makeDirty ? "dirty" : "");
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
        while (count < end)
        {
            var needsFault = false;
            using (mm.PageTableLock.Lock())
            {
                var first = start + ((ulong)count << PageGeometry.PageShift);
                var runEnd = Math.Min(end, count + PtesLeftInPtePage(first));
                for (; count < runEnd; count++)
                {
                    var address = start + ((ulong)count << PageGeometry.PageShift);
                    if (forcedCowBreak)
                        machine.Trace(VmEventKind.ForcedCowBreak, mm, address, null, null, "should_force_cow_break: FOLL_WRITE added on a COW mapping");
                    ref readonly var pte = ref vma.PteAt(address);
                    if (FaultNeeded(vma, address, pte, flags, effective, pin, cowCycleDone: false, unshareTried: false) is not null)
                    {
                        needsFault = true;
                        break;
                    }

                    taken[count] = Grab(mm, address, pte.Folio!, pte.Index, kind, detail);
                }
            }

            if (needsFault)
            {
                taken[count] = FaultInAndFollow(mm, vma, start + ((ulong)count << PageGeometry.PageShift), flags, effective, kind, detail);
                count++;
            }
        }
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
        var before = machine.Snap(folio, index);
        if (!TryGrab(folio, index, kind))
            throw new InvariantViolationException($"reference taken on freed folio pfn {folio.Pfn}");
        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Get : VmEventKind.Pin, mm, address, before,
            machine.Snap(folio, index), detail);
        return new PageRef(folio, index);
    }

    /// <summary>
    /// try_grab_folio: FOLL_GET adds a reference, FOLL_PIN adds GUP_PIN_COUNTING_BIAS (small folios) or one reference
    /// and one _pincount (large folios) — with folio_try_get semantics, failing on a folio whose refcount reached 0.
    /// </summary>
    private static bool TryGrab(Folio folio, int index, PageReferenceKind kind)
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

        if (!folio.TryGet(folio.IsLarge ? 1 : Folio.GupPinCountingBias))
            return false;
        if (folio.IsLarge)
            folio.AddPinCount(1);
        folio.AddPins(index, 1);
        return true;
    }

    /// <summary>gup_put_folio: undoes <see cref="TryGrab"/>, freeing the folio if that was its last reference.</summary>
    private void DropReference(VmProcess? mm, ulong address, PageRef page, PageReferenceKind kind, bool makeDirty)
    {
        var folio = page.Folio;
        if (folio.IsZero)
            return;
        if (kind == PageReferenceKind.Get)
        {
            folio.AddGets(page.Index, -1);
            machine.Memory.Put(folio, 1, mm?.Name ?? "", address);
            return;
        }

        folio.AddPins(page.Index, -1);
        if (makeDirty)
            folio.Dirty = true;
        if (folio.IsLarge)
        {
            folio.AddPinCount(-1);
            machine.Memory.Put(folio, 1, mm?.Name ?? "", address);
        }
        else
        {
            machine.Memory.Put(folio, Folio.GupPinCountingBias, mm?.Name ?? "", address);
        }
    }
}
