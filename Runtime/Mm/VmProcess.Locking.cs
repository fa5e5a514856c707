namespace CowGuard.VmModel;

/// <summary>
/// The mm's locks and what GUP-fast reads without them. mmap_lock (an rw_semaphore) protects the VMA list and every
/// VMA's fields; page_table_lock protects the entries of every page table of this mm; write_protect_seq is fork's
/// seqcount. GUP-fast takes neither lock for its walk: it reads <see cref="PublishedPageTables"/>, an immutable
/// snapshot republished whenever a writer of mmap_lock changed the layout (the kernel walks page tables under
/// local_irq_save, which keeps them from being freed; here retired arrays are cleared instead).
/// </summary>
public sealed partial class VmProcess
{
    private PageTableRange[] _pageTables = [];
    private bool _layoutChanged;
    private long _writeProtectSeq;

    /// <summary>mm->mmap_lock.</summary>
    internal RwSemaphore MmapLock { get; }

    /// <summary>mm->page_table_lock: every entry of every page table of this mm.</summary>
    internal ModelSpinLock PageTableLock { get; }

    /// <summary>The page tables as last published (sorted by address, no overlaps).</summary>
    internal PageTableRange[] PublishedPageTables => Volatile.Read(ref _pageTables);

    /// <summary>mmap_write_lock; releasing it publishes the page tables if the layout changed.</summary>
    internal MmapWriteScope MmapWrite(LockNesting nesting = LockNesting.None)
    {
        MmapLock.Write(nesting);
        return new MmapWriteScope(this);
    }

    /// <summary>Called by every change of the VMA list or of a VMA's range or page-table array (mmap_lock held for write).</summary>
    internal void LayoutChanged() => _layoutChanged = true;

    /// <summary>The published page table covering an address, or null (GUP-fast: "no page table").</summary>
    internal PageTableRange? LookupPageTable(ulong address)
    {
        var tables = PublishedPageTables;
        int lo = 0, hi = tables.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (address < tables[mid].Start)
                hi = mid - 1;
            else if (address >= tables[mid].End)
                lo = mid + 1;
            else
                return tables[mid];
        }

        return null;
    }

    /// <summary>
    /// ptep_get_lockless: one entry, read atomically. The model's entry is a multi-field struct .NET cannot read in one
    /// go, so the PTL is taken for the read alone; it stands in for the atomic pte read, not for mmap_lock.
    /// </summary>
    internal Pte ReadEntry(Pte[] entries, int index)
    {
        using (PageTableLock.Lock())
            return entries[index];
    }

    /// <summary>raw_read_seqcount(&amp;mm->write_protect_seq).</summary>
    internal long ReadWriteProtectSeq() => Volatile.Read(ref _writeProtectSeq);

    /// <summary>raw_write_seqcount_begin / _end around fork's write-protection of this mm (odd while it runs).</summary>
    internal void WriteProtectSeqStep() => Interlocked.Increment(ref _writeProtectSeq);

    private void PublishPageTables()
    {
        var tables = new PageTableRange[_vmas.Count];
        for (var i = 0; i < tables.Length; i++)
            tables[i] = new PageTableRange(_vmas[i].Start, _vmas[i].End, _vmas[i].Ptes, _vmas[i]);
        Volatile.Write(ref _pageTables, tables);
    }

    /// <summary>A held mmap_lock write side; disposing it publishes a changed layout, then up_write.</summary>
    internal readonly ref struct MmapWriteScope(VmProcess mm)
    {
        public void Dispose()
        {
            if (mm._layoutChanged)
            {
                mm._layoutChanged = false;
                mm.PublishPageTables();
            }

            mm.MmapLock.UpWrite();
        }
    }
}
