namespace CowGuard.VmModel;

/// <summary>
/// handle_mm_fault for one page: do_anonymous_page, the file faults, do_swap_page, do_wp_page (write and unshare)
/// and the hugetlb equivalents. The era is consulted only for the reuse and swap-in decisions.
/// </summary>
internal sealed partial class FaultHandler(Machine machine)
{
    private Era Era => machine.Era;

    public void HandleFault(VmProcess mm, VmArea vma, ulong address, FaultFlags flags)
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
        if ((write || unshare) && !pte.IsWrite && !(populated && IsSatisfiedByPopulate(pte, vma, write)))
            DoWpPage(mm, vma, address, unshare && !write);
    }

    /// <summary>A fresh write fault on a VMA without VM_WRITE (FOLL_FORCE) leaves a R/O but private page: nothing more to do.</summary>
    private static bool IsSatisfiedByPopulate(in Pte pte, VmArea vma, bool write) =>
        write && !vma.Has(VmFlags.Write) && pte.Has(PteBits.Dirty) && pte.Folio is { IsAnon: true };

    /// <summary>do_wp_page: write fault (or FAULT_FLAG_UNSHARE) on a present, write-protected entry.</summary>
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
                var pmdQuery = new ReuseQuery(machine, vma, address, folio, pte.Index);
                if ((Era.TracksAnonExclusive && folio.Pages[pte.Index].AnonExclusive) || Era.CanReuseAnonPmd(pmdQuery))
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
            var byExclusiveBit = Era.TracksAnonExclusive && folio.Pages[pte.Index].AnonExclusive;
            if (byExclusiveBit || Era.CanReuseAnonPte(new ReuseQuery(machine, vma, address, folio, pte.Index)))
            {
                WpPageReuse(mm, vma, index, address, unshare, byExclusiveBit);
                return;
            }
        }

        WpPageCopy(mm, vma, address, unshare);
    }

    /// <summary>wp_page_reuse (or, for unshare, just SetPageAnonExclusive).</summary>
    private void WpPageReuse(VmProcess mm, VmArea vma, int index, ulong address, bool unshare, bool byExclusiveBit)
    {
        ref var pte = ref vma.Ptes[index];
        var folio = pte.Folio!;
        var before = machine.Snap(folio, pte.Index);
        if (Era.TracksAnonExclusive)
            folio.Pages[pte.Index].AnonExclusive = true;
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
        if (Era.TracksAnonExclusive)
        {
            if (folio.IsHugetlb)
                folio.Pages[0].AnonExclusive = true;
            else
                for (var i = 0; i < folio.NrPages; i++)
                    folio.Pages[i].AnonExclusive = true;
        }

        if (!unshare)
            HugeMapping.SetBits(vma, index, WriteFaultBits(vma));
        machine.Trace(unshare ? VmEventKind.Unshare : VmEventKind.Reuse, mm, address, before, machine.Snap(folio, 0),
            unshare ? $"{reason}: exclusive, no copy" : reason);
    }

    /// <summary>wp_page_copy: a new exclusive page for the faulting PTE; the old one loses a mapping and a reference.</summary>
    private void WpPageCopy(VmProcess mm, VmArea vma, ulong address, bool unshare)
    {
        ref var pte = ref vma.PteAt(address);
        var old = pte.Folio!;
        var oldIndex = pte.Index;
        var before = machine.Snap(old, oldIndex);
        var copy = machine.Memory.Allocate(0, FolioKind.Anon, vma.LinearIndex(address));
        if (old.IsZero)
            copy.Pages[0].SetUniform(0);
        else
            copy.Pages[0].CopyContentsFrom(old.Pages[oldIndex]);
        var bits = unshare
            ? PteBits.Young | (pte.Bits & (PteBits.SoftDirty | PteBits.UffdWp))
            : WriteFaultBits(vma);
        MapNewSmallAnon(copy, ref pte, bits);
        if (!old.IsZero)
        {
            old.Pages[oldIndex].MapCount--;
            machine.Memory.Put(old, 1, mm.Name, address);
        }

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
        folio.RefCount = 1;
        if (Era.TracksAnonExclusive)
            folio.Pages[0].AnonExclusive = true;
        pte = Pte.Present(folio, 0, bits);
        machine.Memory.AddToLru(folio);
    }
}
