namespace CowGuard.VmModel;

/// <summary>
/// mm/gup.c: the slow walk (__get_user_pages: check_vma_flags, follow_page_pte, faultin_page, retry), the fast walk
/// (gup_fast with its fall-back rules) and reference accounting (try_grab_folio / gup_put_folio). A failing call
/// releases what it took and throws, so the model never keeps a partial result.
/// </summary>
internal sealed class GupEngine(Machine machine)
{
    private const FollFlags KnownFlags = FollFlags.Write | FollFlags.Dump | FollFlags.Force | FollFlags.NoFault
        | FollFlags.Anon | FollFlags.Longterm | FollFlags.BreakCow;

    private const int MaxRetries = 8;

    public PageRef[] Take(VmProcess mm, ulong start, int nrPages, FollFlags flags, PageReferenceKind kind, GupWalk walk)
    {
        mm.EnsureAlive(kind == PageReferenceKind.Pin ? "pin_user_pages" : "get_user_pages");
        Validate(start, nrPages, flags, kind);
        if (kind == PageReferenceKind.Pin)
            mm.HasPinned = true; // mm_set_has_pinned_flag runs before the walk
        var taken = new List<PageRef>(nrPages);
        var fast = walk == GupWalk.Fast;
        try
        {
            for (var i = 0; i < nrPages; i++)
            {
                var address = start + ((ulong)i << PageGeometry.PageShift);
                if (fast)
                {
                    if (TryFast(mm, address, flags, kind, out var page))
                    {
                        taken.Add(page);
                        continue;
                    }

                    // gup_fast_fallback: the rest of the range goes through the slow path.
                    fast = false;
                    machine.Trace(VmEventKind.GupFastFallback, mm, address, null, null, FallbackReason(mm, address, flags, kind) ?? "");
                }

                taken.Add(Slow(mm, address, flags, kind, walk == GupWalk.Remote));
            }
        }
        catch (VmException)
        {
            foreach (var page in taken)
                Release(mm, start, page, kind, makeDirty: false);
            throw;
        }

        return [.. taken];
    }

    /// <summary>follow_page: look up only, never fault; a FOLL_GET reference or nothing.</summary>
    public PageRef? FollowPage(VmProcess mm, ulong address, FollFlags flags)
    {
        mm.EnsureAlive("follow_page");
        Validate(address, 1, flags, PageReferenceKind.Get);
        var vma = mm.FindVma(address);
        if (vma is null)
            return null;
        var pte = vma.PteAt(address);
        if (!pte.IsPresent)
            return null;
        if (pte.Folio!.IsZero && (flags & FollFlags.Dump) != 0)
            return null;
        if ((flags & (FollFlags.Write | FollFlags.BreakCow)) != 0 && !pte.IsWrite)
            return null; // follow_page cannot fault, so it cannot break COW
        return Grab(mm, address, pte.Folio, pte.Index, PageReferenceKind.Get, "follow_page");
    }

    public void Release(VmProcess? mm, ulong address, PageRef page, PageReferenceKind kind, bool makeDirty)
    {
        var folio = page.Folio;
        if (folio.IsZero)
            return;
        var before = machine.Snap(folio, page.Index);
        if (kind == PageReferenceKind.Get)
        {
            folio.Pages[page.Index].Gets--;
            folio.GupGets--;
            machine.Memory.Put(folio, 1, mm?.Name ?? "", address);
        }
        else
        {
            folio.Pages[page.Index].Pins--;
            folio.GupPins--;
            if (makeDirty)
                folio.Dirty = true;
            if (folio.IsLarge)
            {
                folio.PinCount--;
                machine.Memory.Put(folio, 1, mm?.Name ?? "", address);
            }
            else
            {
                machine.Memory.Put(folio, Folio.GupPinCountingBias, mm?.Name ?? "", address);
            }
        }

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

    private PageRef Slow(VmProcess mm, ulong address, FollFlags flags, PageReferenceKind kind, bool remote)
    {
        var vma = mm.FindVma(address) ?? throw new SegmentationFaultException(address, "EFAULT: no VMA covers the GUP address");
        var effective = machine.Era.EffectiveGupFlags(vma, flags);
        var forcedCowBreak = (effective & FollFlags.Write) != 0 && (flags & FollFlags.Write) == 0;
        CheckVmaFlags(vma, address, flags);
        if (forcedCowBreak)
            machine.Trace(VmEventKind.ForcedCowBreak, mm, address, null, null, "should_force_cow_break: FOLL_WRITE added on a COW mapping");
        var write = (effective & FollFlags.Write) != 0;
        var pin = kind == PageReferenceKind.Pin;
        var cowCycleDone = false;
        var unshareTried = false;
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var pte = vma.PteAt(address);
            if (!pte.IsPresent)
            {
                if ((flags & FollFlags.Dump) != 0 && pte.IsNone)
                    throw new SegmentationFaultException(address, "EFAULT: FOLL_DUMP on a hole");
                FaultIn(mm, vma, address, flags, write ? FaultFlags.Write : FaultFlags.None);
                cowCycleDone |= write;
                continue;
            }

            var folio = pte.Folio!;
            if (folio.IsZero && (flags & FollFlags.Dump) != 0)
                throw new SegmentationFaultException(address, "EFAULT: FOLL_DUMP on the zero page");
            if (write && !pte.IsWrite)
            {
                if (vma.Has(VmFlags.Write) || !machine.Era.CanFollowForcedWriteOnReadOnlyPte(pte, cowCycleDone))
                {
                    FaultIn(mm, vma, address, flags, FaultFlags.Write);
                    cowCycleDone = true;
                    continue;
                }
            }
            else if (!pte.IsWrite && !unshareTried
                     && ((flags & FollFlags.BreakCow) != 0 || machine.Era.GupMustUnshare(vma, effective, pin, folio, pte.Index)))
            {
                FaultIn(mm, vma, address, flags, FaultFlags.Unshare);
                unshareTried = true;
                continue;
            }

            return Grab(mm, address, folio, pte.Index, kind, remote ? "remote" : "");
        }

        throw new InvariantViolationException($"GUP at 0x{address:x} did not converge after {MaxRetries} faults");
    }

    private void FaultIn(VmProcess mm, VmArea vma, ulong address, FollFlags flags, FaultFlags faultFlags)
    {
        if ((flags & FollFlags.NoFault) != 0)
            throw new SegmentationFaultException(address, "EFAULT: FOLL_NOFAULT and the page needs a fault");
        machine.Faults.HandleFault(mm, vma, address, faultFlags);
    }

    /// <summary>check_vma_flags (on the caller's flags: 5.8's forced write did not need VM_WRITE).</summary>
    private static void CheckVmaFlags(VmArea vma, ulong address, FollFlags flags)
    {
        if ((flags & FollFlags.Anon) != 0 && !vma.IsAnonymous)
            throw new SegmentationFaultException(address, "EFAULT: FOLL_ANON on a file mapping");
        var force = (flags & FollFlags.Force) != 0;
        if ((flags & FollFlags.Write) != 0 && !vma.Has(VmFlags.Write))
        {
            if (!force)
                throw new SegmentationFaultException(address, "EFAULT: write GUP on a mapping without PROT_WRITE");
            if (!vma.IsCowMapping)
                throw new SegmentationFaultException(address, "EFAULT: FOLL_FORCE write on a shared read-only mapping");
        }

        if (!vma.Has(VmFlags.Read) && !force)
            throw new SegmentationFaultException(address, "EFAULT: GUP on a PROT_NONE mapping");
    }

    /// <summary>gup_fast_pte_range for one page: pin only what needs no fault, no unshare and no VMA.</summary>
    private bool TryFast(VmProcess mm, ulong address, FollFlags flags, PageReferenceKind kind, out PageRef page)
    {
        page = default;
        if (FallbackReason(mm, address, flags, kind) is not null)
            return false;
        var pte = mm.FindVma(address)!.PteAt(address);
        page = Grab(mm, address, pte.Folio!, pte.Index, kind, "fast");
        return true;
    }

    /// <summary>Why gup_fast cannot take this page (null when it can).</summary>
    private string? FallbackReason(VmProcess mm, ulong address, FollFlags flags, PageReferenceKind kind)
    {
        var vma = mm.FindVma(address);
        if (vma is null)
            return "no page table";
        var pte = vma.PteAt(address);
        if (!pte.IsPresent)
            return "pte not present";
        if (pte.Has(PteBits.Special))
            return "pte_special (zero page)";
        if (kind == PageReferenceKind.Pin && (mm.WriteProtectSeq & 1) != 0)
            return "write_protect_seq: fork in progress";
        if (pte.IsWrite)
            return null;
        if ((flags & FollFlags.Write) != 0)
            return "FOLL_WRITE on a read-only pte";
        if (machine.Era.GupFastRequiresWritablePte)
            return "5.8 get_user_pages_fast walks with FOLL_WRITE";
        if ((flags & FollFlags.BreakCow) != 0)
            return "BreakCow on a read-only pte";
        if (machine.Era.GupMustUnshare(null, flags, kind == PageReferenceKind.Pin, pte.Folio!, pte.Index))
            return "gup_must_unshare";
        return null;
    }

    private PageRef Grab(VmProcess mm, ulong address, Folio folio, int index, PageReferenceKind kind, string detail)
    {
        var before = machine.Snap(folio, index);
        if (!folio.IsZero)
        {
            if (kind == PageReferenceKind.Get)
            {
                PhysicalMemory.Get(folio);
                folio.Pages[index].Gets++;
                folio.GupGets++;
            }
            else
            {
                if (folio.IsLarge)
                {
                    PhysicalMemory.Get(folio);
                    folio.PinCount++;
                }
                else
                {
                    PhysicalMemory.Get(folio, Folio.GupPinCountingBias);
                }

                folio.Pages[index].Pins++;
                folio.GupPins++;
            }
        }

        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Get : VmEventKind.Pin, mm, address, before,
            machine.Snap(folio, index), detail);
        return new PageRef(folio, index);
    }
}
