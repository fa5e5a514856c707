namespace CowGuard.VmModel;

/// <summary>
/// handle_mm_fault for one page: do_anonymous_page, the file faults, do_swap_page, do_wp_page (write and unshare)
/// and the hugetlb equivalents. The era answers the reuse and swap-in questions and keeps PageAnonExclusive.
/// </summary>
/// <remarks>
/// Locking: the caller holds mmap_lock (read, or write), never the PTL. Several threads of one mm fault at once, so
/// every decision is taken on the entry as it is under the PTL, not as the caller saw it: if another thread already
/// did the work the fault returns and the caller's access loop looks again. Where the kernel drops the PTL — to
/// allocate and copy (do_anonymous_page, wp_page_copy), to sleep on the folio lock (do_swap_page) or to walk the rmap
/// (hugetlb's unmap_ref_private) — the model drops it too and re-checks the entry with pte_same afterwards, backing
/// out if someone else handled it. Allocation in the model never sleeps, so the file and hugetlb faults keep the PTL
/// from their re-check to their set_pte.
/// </remarks>
internal sealed partial class FaultHandler(Machine machine)
{
    private Era Era => machine.Era;

    public void HandleFault(VmProcess mm, VmArea vma, ulong address, FaultFlags flags)
    {
        mm.PageTableLock.Enter();
        try
        {
            HandleFaultLocked(mm, vma, address, flags);
        }
        finally
        {
            mm.PageTableLock.Exit();
        }
    }

    /// <summary>The fault under the PTL (helpers may drop and retake it, and always return holding it).</summary>
    private void HandleFaultLocked(VmProcess mm, VmArea vma, ulong address, FaultFlags flags)
    {
        var index = vma.IndexOf(address);
        var write = (flags & FaultFlags.Write) != 0;
        var unshare = (flags & FaultFlags.Unshare) != 0;
        var populated = false;
        if (vma.Ptes[index].IsNone)
        {
            populated = true;
            if (vma.IsHugetlb)
                HugetlbNoPage(mm, vma, address, write);
            else if (vma.IsAnonymous)
                DoAnonymousPage(mm, vma, address, write);
            else
                DoFileFault(mm, vma, address, write);
        }
        else if (vma.Ptes[index].IsSwap)
        {
            DoSwapPage(mm, vma, address, write);
        }
        else if (!write && !unshare)
        {
            return;
        }

        var pte = vma.Ptes[index];
        if (!pte.IsPresent)
            return; // lost a race (the entry changed while the PTL was dropped): the caller looks again
        if ((write || unshare) && !pte.IsWrite && !(populated && IsSatisfiedByPopulate(pte, vma, write)))
            DoWpPage(mm, vma, address, unshare && !write);
    }

    /// <summary>A fresh write fault on a VMA without VM_WRITE (FOLL_FORCE) leaves a R/O but private page: nothing more to do.</summary>
    private static bool IsSatisfiedByPopulate(in Pte pte, VmArea vma, bool write) =>
        write && !vma.Has(VmFlags.Write) && pte.Has(PteBits.Dirty) && pte.Folio is { IsAnon: true };

    /// <summary>do_wp_page (PTL held): write fault (or FAULT_FLAG_UNSHARE) on a present, write-protected entry.</summary>
    private void DoWpPage(VmProcess mm, VmArea vma, ulong address, bool unshare)
    {
        var index = vma.IndexOf(address);
        var pte = vma.Ptes[index];
        if (!unshare && pte.Has(PteBits.UffdWp) && vma.Has(VmFlags.UffdWp))
            throw new UserfaultException(address, "handle_userfault(VM_UFFD_WP): write to a uffd write-protected page");
        var folio = pte.Folio!;
        if (vma.IsShared)
        {
            if (!unshare)
                WpPageShared(mm, vma, index, address);
            return;
        }

        if (vma.IsHugetlb)
        {
            HugetlbWp(mm, vma, address, unshare);
            return;
        }

        if (pte.IsHuge)
        {
            if (folio.IsAnon && !folio.IsKsm)
            {
                if (Era.PageAnonExclusive(folio, pte.Index) || CanReuseLocked(mm, vma, address, folio, pte.Index, pmd: true))
                {
                    ReuseHuge(mm, vma, index, address, unshare, "do_huge_pmd_wp_page");
                    return;
                }
            }

            // Not reusable (or the huge zero page): split the PMD and COW at PTE level.
            HugeMapping.Split(mm, vma, index);
            DoWpPage(mm, vma, address, unshare);
            return;
        }

        if (folio.IsAnon)
        {
            var byExclusiveBit = Era.PageAnonExclusive(folio, pte.Index);
            if (byExclusiveBit || CanReuseLocked(mm, vma, address, folio, pte.Index, pmd: false))
            {
                WpPageReuse(mm, vma, index, address, unshare, byExclusiveBit);
                return;
            }
        }

        WpPageCopy(mm, vma, address, unshare);
    }

    /// <summary>
    /// The era's reuse rule under folio_trylock, as wp_can_reuse_anon_folio takes it (and do_huge_pmd_wp_page, which
    /// sleeps for it where the model does not): whoever holds the folio lock — swap-in, reclaim, KSM — may be about to
    /// add a mapping or a reference, so a folio that is locked elsewhere is not reused but copied.
    /// </summary>
    private bool CanReuseLocked(VmProcess mm, VmArea vma, ulong address, Folio folio, int index, bool pmd)
    {
        if (!folio.TryLock())
            return false;
        try
        {
            var query = new ReuseQuery(machine, mm, vma, address, folio, index);
            return pmd ? Era.DoHugePmdWpPageCanReuse(query) : Era.WpCanReuseAnonFolio(query);
        }
        finally
        {
            folio.Unlock();
        }
    }

    /// <summary>wp_page_reuse (or, for unshare, just SetPageAnonExclusive).</summary>
    private void WpPageReuse(VmProcess mm, VmArea vma, int index, ulong address, bool unshare, bool byExclusiveBit)
    {
        ref var pte = ref vma.Ptes[index];
        var folio = pte.Folio!;
        var before = machine.Snap(folio, pte.Index);
        Era.SetPageAnonExclusive(folio, pte.Index);
        if (!unshare)
            pte.Bits |= WriteFaultBits(vma);
        if (!machine.Events.Enabled)
            return; // the detail string is only built for the trace
        var reason = byExclusiveBit ? "PageAnonExclusive" : $"{Era.Name} reuse rule";
        machine.Trace(unshare ? VmEventKind.Unshare : VmEventKind.Reuse, mm, address, before, machine.Snap(folio, pte.Index),
            unshare ? $"already exclusive ({reason}), no copy" : reason);
    }

    private void ReuseHuge(VmProcess mm, VmArea vma, int index, ulong address, bool unshare, string reason)
    {
        var folio = vma.Ptes[index].Folio!;
        var before = machine.Snap(folio, 0);
        Era.SetFolioAnonExclusive(folio);
        if (!unshare)
            HugeMapping.SetBits(vma, index, WriteFaultBits(vma));
        machine.Trace(unshare ? VmEventKind.Unshare : VmEventKind.Reuse, mm, address, before, machine.Snap(folio, 0),
            unshare ? $"{reason}: exclusive, no copy" : reason);
    }

    /// <summary>
    /// wp_page_copy: a new exclusive page for the faulting PTE; the old one loses a mapping and a reference. Like the
    /// kernel, it takes a reference on the old page, drops the PTL to allocate and copy, and installs the copy only if
    /// the entry is still the one it copied from (pte_same); otherwise another thread handled the fault.
    /// </summary>
    private void WpPageCopy(VmProcess mm, VmArea vma, ulong address, bool unshare)
    {
        var index = vma.IndexOf(address);
        var orig = vma.Ptes[index];
        var old = orig.Folio!;
        var oldIndex = orig.Index;
        var before = machine.Snap(old, oldIndex);
        PhysicalMemory.Get(old); // folio_get: the old page stays while the PTL is dropped
        Folio copy;
        mm.PageTableLock.Exit();
        try
        {
            copy = machine.Memory.Allocate(0, FolioKind.Anon, vma.LinearIndex(address));
            if (old.IsZero)
                copy.FillBytes(0, 0, PageGeometry.PageSize, 0);
            else
                old.CopyPagesTo(oldIndex, copy, 0, 1);
        }
        finally
        {
            mm.PageTableLock.Enter();
        }

        ref var pte = ref vma.Ptes[index];
        if (!Pte.Same(pte, orig))
        {
            machine.Memory.Discard(copy, mm.Name, address);
            machine.Memory.Put(old, 1, mm.Name, address);
            return;
        }

        var bits = unshare
            ? PteBits.Young | (pte.Bits & (PteBits.SoftDirty | PteBits.UffdWp))
            : WriteFaultBits(vma);
        MapNewSmallAnon(copy, ref pte, bits);
        if (!old.IsZero)
        {
            old.AddMapCount(oldIndex, -1);
            machine.Memory.Put(old, 1, mm.Name, address);
        }

        machine.Memory.Put(old, 1, mm.Name, address); // the folio_get above

        machine.Trace(unshare ? VmEventKind.Unshare : VmEventKind.Copy, mm, address, before, machine.Snap(copy, 0),
            old.IsZero ? "copy of the zero page" : old.IsAnon ? "wp_page_copy" : "private copy of a page-cache page");
    }

    /// <summary>wp_page_shared: a shared mapping just becomes writable.</summary>
    private void WpPageShared(VmProcess mm, VmArea vma, int index, ulong address)
    {
        if (vma.Ptes[index].IsHuge)
            HugeMapping.SetBits(vma, index, WriteFaultBits(vma));
        else
            vma.Ptes[index].Bits |= WriteFaultBits(vma);
        var pte = vma.Ptes[index];
        machine.Trace(VmEventKind.Reuse, mm, address, null, machine.Snap(pte.Folio, pte.Index), "wp_page_shared");
    }

    /// <summary>The bits a write fault sets: maybe_mkwrite(pte_mkdirty()) (x86 pte_mkdirty also sets soft-dirty).</summary>
    private static PteBits WriteFaultBits(VmArea vma) =>
        PteBits.Young | PteBits.Dirty | PteBits.SoftDirty | (vma.Has(VmFlags.Write) ? PteBits.Write : PteBits.None);

    /// <summary>folio_add_new_anon_rmap(RMAP_EXCLUSIVE) + set_pte for a fresh small anonymous folio.</summary>
    private void MapNewSmallAnon(Folio folio, ref Pte pte, PteBits bits)
    {
        folio.Pages[0].MapCount = 1;
        folio.SetRefCount(1);
        Era.SetPageAnonExclusive(folio, 0);
        pte = Pte.Present(folio, 0, bits);
        machine.Memory.AddToLru(folio);
    }
}
