namespace CowGuard.VmModel;

public sealed partial class VmProcess
{
    /// <summary>
    /// echo 4 &gt; /proc/pid/clear_refs (clear_soft_dirty): clears VM_SOFTDIRTY and every soft-dirty bit and
    /// write-protects every present entry, so the next write faults and records soft-dirty. Since 5.11 a PTE whose
    /// page may be pinned is left as it is, writable and soft-dirty (pte_is_pinned, 9348b73c2e1b; still so today);
    /// a PMD is write-protected regardless (clear_soft_dirty_pmd asks no such question). Modelled as with
    /// CONFIG_MEM_SOFT_DIRTY=y.
    /// </summary>
    public void ClearSoftDirty()
    {
        using (Machine.EnterOperation())
        using (MmapWrite()) // clear_refs_write takes mmap_lock for write (29a951dfb3c3)
        {
            EnsureAlive("clear_refs");
            var protectedEntries = 0;
            foreach (var vma in _vmas)
            {
                vma.Flags &= ~VmFlags.SoftDirty;
                using (PageTableLock.Lock())
                {
                    for (var i = 0; i < vma.PageCount; i++)
                    {
                        ref var pte = ref vma.Ptes[i];
                        if (pte.IsNone || (pte.IsPresent && !pte.IsHuge && Machine.Era.PteIsPinned(this, vma, pte)))
                            continue;
                        pte.Bits &= ~PteBits.SoftDirty;
                        if (!pte.IsPresent || !pte.IsWrite)
                            continue;
                        pte.Bits &= ~PteBits.Write;
                        protectedEntries++;
                    }
                }
            }

            Machine.Trace(VmEventKind.WriteProtect, this, 0, null, null, $"clear_refs 4: {protectedEntries} entries write-protected");
        }

        Machine.AfterOperation();
    }

    /// <summary>UFFDIO_REGISTER with UFFDIO_REGISTER_MODE_WP on a range (sets VM_UFFD_WP).</summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    public void UffdRegister(ulong address, ulong length) => SetUffdRegistration(address, length, register: true);

    /// <summary>UFFDIO_UNREGISTER: clears VM_UFFD_WP and every uffd-wp bit of the range.</summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    public void UffdUnregister(ulong address, ulong length) => SetUffdRegistration(address, length, register: false);

    /// <summary>
    /// UFFDIO_WRITEPROTECT: with <paramref name="protect"/> every present entry gets the uffd-wp bit and loses write
    /// access (a later write raises <see cref="UserfaultException"/>); without it the bits are cleared (the entries
    /// stay read-only until the next write fault, except exclusive anon pages in the era with
    /// can_change_pte_writable).
    /// </summary>
    /// <param name="address">Page-aligned start.</param>
    /// <param name="length">Length in bytes.</param>
    /// <param name="protect">Protect or resolve.</param>
    public void UffdWriteProtect(ulong address, ulong length, bool protect)
    {
        using (Machine.EnterOperation())
        using (MmapLock.Read()) // mwriteprotect_range: mmap_read_lock, then change_protection under the PTL
        {
            EnsureAlive("UFFDIO_WRITEPROTECT");
            CheckRangeArguments(address, ref length);
            var areas = VmasIn(address, length);
            if (areas.Any(v => !v.Has(VmFlags.UffdWp)))
                throw new InvalidVmArgumentException(address, "ENOENT: range is not registered for uffd-wp", "ENOENT");
            foreach (var vma in areas)
            {
                var (first, count) = Window(vma, address, length);
                using (PageTableLock.Lock())
                {
                    HugeMapping.SplitPartiallyCovered(this, vma, first, count);
                    for (var i = first; i < first + count; i++)
                    {
                        ref var pte = ref vma.Ptes[i];
                        if (pte.IsNone)
                            continue;
                        if (protect)
                            pte.Bits = (pte.Bits | PteBits.UffdWp) & ~PteBits.Write;
                        else
                            pte.Bits &= ~PteBits.UffdWp;
                    }
                }
            }

            Machine.Trace(VmEventKind.WriteProtect, this, address, null, null, protect ? "uffd-wp protect" : "uffd-wp resolve");
        }

        Machine.AfterOperation();
    }

    private void SetUffdRegistration(ulong address, ulong length, bool register)
    {
        using (Machine.EnterOperation())
        using (MmapWrite())
        {
            EnsureAlive(register ? "UFFDIO_REGISTER" : "UFFDIO_UNREGISTER");
            CheckRangeArguments(address, ref length);
            foreach (var vma in SplitToRange(address, length, requireMapped: true))
            {
                if (register)
                {
                    vma.Flags |= VmFlags.UffdWp;
                    continue;
                }

                vma.Flags &= ~VmFlags.UffdWp;
                using (PageTableLock.Lock())
                {
                    for (var i = 0; i < vma.PageCount; i++)
                        vma.Ptes[i].Bits &= ~PteBits.UffdWp;
                }
            }

            MergeAdjacentVmas();
        }

        Machine.AfterOperation();
    }
}
