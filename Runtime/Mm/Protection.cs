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
    /// Whether mprotect(PROT_WRITE) maps a present entry writable at once. Shared (shmem-like) mappings need no write
    /// notification, so their entries become writable in every era; for private ones the era decides
    /// (can_change_pte_writable, 6.0+).
    /// </summary>
    private static bool CanChangePteWritable(Era era, VmArea vma, in Pte pte) =>
        vma.IsShared ? !pte.Folio!.IsZero : era.CanChangePteWritable(vma, pte);
}
