namespace CowGuard.VmModel;

/// <summary>
/// gup_fast (mm/gup.c): no mmap_lock and no VMA, only the mm's published page tables. For each page it reads the entry
/// (ptep_get_lockless), grabs the folio (try_grab_folio_fast: never from a zero refcount), re-reads the entry and drops
/// the reference if it changed, and re-checks gup_must_unshare after the re-read (a7f226604170 / 088b8aa537c2). For
/// FOLL_PIN the whole walk is bracketed by write_protect_seq: odd at the start means fork is write-protecting this mm,
/// and a changed value at the end (read_seqcount_retry) means a fork ran during the walk — every page taken is unpinned
/// and the whole range goes to the slow path (57efa1fe5957, "mm/gup: prevent gup_fast from racing with COW during
/// fork"). The model's GUP-fast has this protocol in every era.
/// </summary>
internal sealed partial class GupEngine
{
    private const string ForkInProgress = "write_protect_seq: fork in progress";
    private const string RacedWithFork = "write_protect_seq changed: raced with fork";

    /// <summary>
    /// Takes pages from the start of the range into <paramref name="taken"/> until one needs the slow path; on return
    /// <paramref name="count"/> is the first page left for it (nrPages when all were taken). The published page table
    /// is looked up once and followed while the range stays inside it, as gup_fast_pgd_range walks each table once.
    /// </summary>
    private void Fast(VmProcess mm, ulong start, int nrPages, FollFlags flags, PageReferenceKind kind, PageRef[] taken, ref int count)
    {
        var pin = kind == PageReferenceKind.Pin;
        var seq = mm.ReadWriteProtectSeq();
        var reason = pin && (seq & 1) != 0 ? ForkInProgress : null;
        if (reason is null)
        {
            // Runs under one PTL acquisition only when nothing can observe the per-page window (GrabWritableRun).
            var runs = machine.GupFastRaceHook is null && !machine.Events.Enabled;
            PageTableRange? table = null;
            while (count < nrPages)
            {
                var address = start + ((ulong)count << PageGeometry.PageShift);
                if (table is not { } current || address >= current.End)
                    table = mm.LookupPageTable(address);
                if (table is not { } found)
                {
                    reason = "no page table";
                    break;
                }

                if (runs && GrabWritableRun(mm, found, address, taken.AsSpan(count, nrPages - count), kind) is > 0 and var run)
                {
                    count += run;
                    continue;
                }

                reason = TryFastPage(mm, found, address, flags, kind, out taken[count]);
                if (reason is not null)
                    break;
                count++;
            }

            if (pin && mm.ReadWriteProtectSeq() != seq)
            {
                for (var i = 0; i < count; i++)
                    Release(mm, start + ((ulong)i << PageGeometry.PageShift), taken[i], kind, makeDirty: false);
                count = 0;
                reason = RacedWithFork;
            }
        }

        if (count < nrPages)
            machine.Trace(VmEventKind.GupFastFallback, mm, start + ((ulong)count << PageGeometry.PageShift), null, null, reason!);
    }

    /// <summary>
    /// gup_fast_pte_range over the rest of one PTE page, for the entries every flag and era lets GUP-fast take as they
    /// are (present, writable, not special): each is read, grabbed and found unchanged while one PTL acquisition
    /// excludes every writer — one of the interleavings of the kernel's lockless walk (ptep_get_lockless, grab, re-read
    /// with nothing changing in between), at one lock round trip per PTE page instead of two per page. Stops at the
    /// first entry it cannot take that way, which <see cref="TryFastPage"/> then handles on its own; returns how many
    /// pages it took. Used only when neither the trace nor <see cref="Machine.GupFastRaceHook"/> watches the per-page
    /// window, so traces and race tests see the per-page walk.
    /// </summary>
    private static int GrabWritableRun(VmProcess mm, PageTableRange table, ulong address, Span<PageRef> pages, PageReferenceKind kind)
    {
        var first = table.IndexOf(address);
        var length = Math.Min(Math.Min(pages.Length, PtesLeftInPtePage(address)), (int)((table.End - address) >> PageGeometry.PageShift));
        var i = 0;
        using (mm.PageTableLock.Lock())
        {
            var ptes = table.Entries.AsSpan(first, length);
            for (; i < ptes.Length; i++)
            {
                ref readonly var pte = ref ptes[i];
                if ((pte.Bits & (PteBits.Present | PteBits.Write | PteBits.Special)) != (PteBits.Present | PteBits.Write))
                    break;
                var folio = pte.Folio!;
                if (!TryGrab(folio, pte.Index, kind))
                    break;
                pages[i] = new PageRef(folio, pte.Index);
            }
        }

        return i;
    }

    /// <summary>gup_fast_pte_range for one page: null when the page was taken (into <paramref name="page"/>), else why it was not.</summary>
    private string? TryFastPage(VmProcess mm, PageTableRange table, ulong address, FollFlags flags, PageReferenceKind kind, out PageRef page)
    {
        page = default;
        var index = table.IndexOf(address);
        var pte = mm.ReadEntry(table.Entries, index);
        if (FallbackReason(pte, flags, kind) is { } reason)
            return reason;
        var folio = pte.Folio!;
        var before = machine.Snap(folio, pte.Index);
        if (!TryGrab(folio, pte.Index, kind))
            return "try_grab_folio: the folio is being freed";
        machine.GupFastRaceHook?.Invoke(mm, address);
        var grabbed = new PageRef(folio, pte.Index);
        if (!Pte.Same(mm.ReadEntry(table.Entries, index), pte))
        {
            DropReference(mm.Name, address, grabbed, kind, makeDirty: false);
            return "pte changed under gup_fast";
        }

        if (!pte.IsWrite && machine.Era.GupMustUnshare(null, flags, kind == PageReferenceKind.Pin, folio, pte.Index))
        {
            DropReference(mm.Name, address, grabbed, kind, makeDirty: false);
            return "gup_must_unshare";
        }

        machine.Trace(kind == PageReferenceKind.Get ? VmEventKind.Get : VmEventKind.Pin, mm, address, before,
            machine.Snap(folio, pte.Index), "fast");
        page = grabbed;
        return null;
    }

    /// <summary>Why gup_fast cannot take the page an entry maps (null when it can): checked before the grab.</summary>
    private string? FallbackReason(in Pte pte, FollFlags flags, PageReferenceKind kind)
    {
        if (!pte.IsPresent)
            return "pte not present";
        if (pte.Has(PteBits.Special))
            return "pte_special (zero page)";
        if (pte.IsWrite)
            return null;
        if ((flags & FollFlags.Write) != 0)
            return "FOLL_WRITE on a read-only pte";
        if (machine.Era.ShouldForceCowBreak(null, flags))
            return "5.8 get_user_pages_fast walks with FOLL_WRITE";
        if ((flags & FollFlags.BreakCow) != 0)
            return "BreakCow on a read-only pte";
        if (machine.Era.GupMustUnshare(null, flags, kind == PageReferenceKind.Pin, pte.Folio!, pte.Index))
            return "gup_must_unshare";
        return null;
    }
}
