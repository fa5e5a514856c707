namespace CowGuard.VmModel;

/// <summary>
/// mremap (mmap_lock held for write): shrink, grow in place, or move_vma (move_page_tables keeps every page and its
/// counts). Growing and moving give the VMA a new page-table array under the anon_vma lock and the PTL.
/// </summary>
internal static class Remapper
{
    public static ulong Remap(VmProcess process, ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress)
    {
        var mayMove = (flags & MremapFlags.MayMove) != 0;
        var fixedTarget = (flags & MremapFlags.Fixed) != 0;
        if (fixedTarget)
        {
            if (!PageGeometry.IsPageAligned(newAddress))
                throw new InvalidVmArgumentException(newAddress, "EINVAL: MREMAP_FIXED address is not page aligned");
            if (newAddress < oldAddress + oldLength && oldAddress < newAddress + newLength)
                throw new InvalidVmArgumentException(newAddress, "EINVAL: MREMAP_FIXED target overlaps the source");
        }

        if (newLength < oldLength)
        {
            process.UnmapRange(oldAddress + newLength, oldLength - newLength);
            oldLength = newLength;
            if (!fixedTarget)
                return oldAddress;
        }

        if (!fixedTarget)
        {
            if (newLength == oldLength)
                return oldAddress;
            var vma = process.FindVma(oldAddress)!;
            var delta = newLength - oldLength;
            var tailFree = oldAddress + oldLength == vma.End && process.FindVma(vma.End) is null
                           && !process.Areas.Any(v => v.Start < vma.End + delta && v.End > vma.End);
            if (tailFree && !vma.IsShared)
            {
                using (process.Machine.RmapLock.Write())
                using (process.PageTableLock.Lock())
                    vma.Extend(vma.End + delta);
                process.LayoutChanged();
                return oldAddress;
            }

            if (!mayMove)
                throw new OutOfVmMemoryException(oldAddress, "ENOMEM: cannot grow in place without MREMAP_MAYMOVE");
            // mremap's get_unmapped_area(vma->vm_file, 0, new_len, ...): the same placement as a new mmap of that length.
            newAddress = UnmappedArea.Get(process.Areas, newLength, vma.HugetlbOrder, privateAnonymous: vma.IsAnonymous && !vma.IsShared);
        }
        else
        {
            process.UnmapRange(newAddress, newLength);
        }

        Move(process, oldAddress, oldLength, newLength, newAddress);
        return newAddress;
    }

    private static void Move(VmProcess process, ulong oldAddress, ulong oldLength, ulong newLength, ulong newAddress)
    {
        var moving = process.SplitToRange(oldAddress, oldLength, requireMapped: true).Single();
        using (process.Machine.RmapLock.Write())
        using (process.PageTableLock.Lock())
        {
            for (var i = 0; i < moving.PageCount; i++)
            {
                var pte = moving.Ptes[i];
                if (pte.IsPresent && pte.IsHuge)
                    HugeMapping.Split(process, moving, i); // the model never moves whole PMDs (move_huge_pmd)
            }

            process.RemoveVma(moving);
            moving.MoveTo(newAddress);
            if (newLength > oldLength)
                moving.Extend(newAddress + newLength);
            process.InsertVma(moving);
        }

        process.Machine.Trace(VmEventKind.Move, process, newAddress, null, null, $"moved {oldLength} bytes from 0x{oldAddress:x}");
    }
}
