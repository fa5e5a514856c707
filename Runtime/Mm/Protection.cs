namespace CowGuard.VmModel;

/// <summary>mprotect_fixup + change_protection for one VMA already split to the range (mmap_lock held for write).</summary>
internal static class Protection
{
    public static void Change(VmProcess process, VmArea vma, VmFlags newAccess)
    {
        var machine = process.Machine;
        var oldFlags = vma.Flags;
        vma.Flags = (oldFlags & ~(VmFlags.Read | VmFlags.Write)) | newAccess;
        var losesWrite = (oldFlags & VmFlags.Write) != 0 && (newAccess & VmFlags.Write) == 0;
        var gainsWrite = (oldFlags & VmFlags.Write) == 0 && (newAccess & VmFlags.Write) != 0;
        var changed = 0;
        using (process.PageTableLock.Lock())
        {
            for (var i = 0; i < vma.PageCount; i++)
            {
                ref var pte = ref vma.Ptes[i];
                if (!pte.IsPresent)
                    continue;
                if (losesWrite && pte.IsWrite)
                {
                    pte.Bits &= ~PteBits.Write;
                    changed++;
                }
                else if (gainsWrite && !pte.IsWrite && CanChangePteWritable(machine.Era, vma, pte))
                {
                    pte.Bits |= PteBits.Write;
                    changed++;
                }
            }
        }

        if (changed > 0)
        {
            machine.Trace(VmEventKind.WriteProtect, process, vma.Start, null, null,
                losesWrite ? $"mprotect: {changed} entries write-protected" : $"mprotect: {changed} entries made writable");
        }
    }

    /// <summary>
    /// can_change_pte_writable (6.0+): a private anonymous page may be mapped writable directly only when it is
    /// AnonExclusive and no uffd-wp or soft-dirty tracking wants the write fault. Shared (shmem-like) mappings need no
    /// write notification, so their entries become writable in every era. Older kernels never made private anon
    /// entries writable in mprotect.
    /// </summary>
    private static bool CanChangePteWritable(Era era, VmArea vma, in Pte pte)
    {
        if (vma.IsShared)
            return !pte.Folio!.IsZero;
        if (!era.MprotectMapsExclusiveAnonWritable)
            return false;
        var folio = pte.Folio!;
        if (!folio.IsAnon || folio.IsKsm || pte.Has(PteBits.UffdWp))
            return false;
        if (!vma.Has(VmFlags.SoftDirty) && !pte.Has(PteBits.SoftDirty))
            return false; // vma_soft_dirty_enabled && !pte_soft_dirty: the write fault must record soft-dirty
        return folio.Pages[folio.IsHugetlb ? 0 : pte.Index].AnonExclusive;
    }
}
