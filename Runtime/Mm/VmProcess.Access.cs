namespace CowGuard.VmModel;

/// <summary>
/// User loads and stores, done as the CPU does them. A page whose entry already allows the access is reached the way
/// the MMU reaches it — through the page tables, without mmap_lock or a VMA lookup — using the page tables the mm
/// published for GUP-fast; the load or store is done under the PTL on the entry checked to allow it, so no zap,
/// swap-out or KSM merge can come between the check and the access (the model's stand-in for a TLB-coherent access).
/// A page that needs a fault takes the slow path: mmap_lock for read, the VMA, handle_mm_fault until the entry allows
/// the access. Once one page of an access faulted, its remaining pages go the slow way too.
/// </summary>
public sealed partial class VmProcess
{
    /// <summary>How often one user access re-faults before the model calls it a livelock (a model bug).</summary>
    private const int MaxAccessRetries = 10_000;

    /// <summary>Reads one byte as the process's CPU would (a read fault if not present).</summary>
    /// <param name="address">Any mapped, readable address.</param>
    public byte ReadByte(ulong address)
    {
        var load = default(LoadByte);
        Access(address, 1, write: false, "read", ref load);
        return load.Value;
    }

    /// <summary>Reads bytes as the process's CPU would.</summary>
    /// <param name="address">Start address.</param>
    /// <param name="destination">Receives the bytes.</param>
    public void Read(ulong address, Span<byte> destination)
    {
        var load = new LoadInto(destination);
        Access(address, (ulong)destination.Length, write: false, "read", ref load);
    }

    /// <summary>Reads <paramref name="length"/> bytes into a new array.</summary>
    /// <param name="address">Start address.</param>
    /// <param name="length">Number of bytes.</param>
    public byte[] ReadBytes(ulong address, int length)
    {
        var bytes = new byte[length];
        Read(address, bytes);
        return bytes;
    }

    /// <summary>Writes bytes as the process's CPU would (write faults: COW, reuse, swap-in).</summary>
    /// <param name="address">Start address.</param>
    /// <param name="source">The bytes.</param>
    public void Write(ulong address, ReadOnlySpan<byte> source)
    {
        var store = new StoreFrom(source);
        Access(address, (ulong)source.Length, write: true, "write", ref store);
    }

    /// <summary>Writes one byte.</summary>
    /// <param name="address">The address.</param>
    /// <param name="value">The byte.</param>
    public void WriteByte(ulong address, byte value)
    {
        var store = new StoreByte(value);
        Access(address, 1, write: true, "write", ref store);
    }

    /// <summary>memset: fills a range with one byte (pages stay uniform, so this is cheap for huge ranges).</summary>
    /// <param name="address">Start address.</param>
    /// <param name="length">Number of bytes.</param>
    /// <param name="value">The byte.</param>
    public void Fill(ulong address, ulong length, byte value)
    {
        var fill = new FillWith(value);
        Access(address, length, write: true, "fill", ref fill);
    }

    /// <summary>
    /// A user access of [address, address + length): the pages that need no fault first, then — from the first page
    /// that does — the faulting path under mmap_lock. A range beyond the user address space, and an empty access, go
    /// straight to the slow path, which checks the process and the range before touching anything.
    /// </summary>
    private void Access<TAccess>(ulong address, ulong length, bool write, string operation, ref TAccess access)
        where TAccess : IUserAccess, allows ref struct
    {
        using (Machine.EnterOperation())
        {
            var done = IsUserRange(address, length) ? AccessWithoutFault(address, length, write, ref access) : 0;
            if (done < length || length == 0)
            {
                using (MmapLock.Read())
                {
                    EnsureAlive(operation);
                    CheckUserRange(address, length);
                    for (; done < length; done += (ulong)PageChunk(address + done, length - done))
                    {
                        var current = address + done;
                        var (folio, index) = FaultIn(current, write);
                        try
                        {
                            access.Apply(folio, index, PageOffset(current), (int)done, PageChunk(current, length - done));
                        }
                        finally
                        {
                            PageTableLock.Exit();
                        }
                    }
                }
            }
        }

        Machine.AfterOperation();
    }

    /// <summary>
    /// The MMU's walk: pages whose entries allow the access, found in the published page tables and accessed under
    /// the PTL, until the first page that needs a fault (or has no page table). Returns the bytes done.
    /// </summary>
    private ulong AccessWithoutFault<TAccess>(ulong address, ulong length, bool write, ref TAccess access)
        where TAccess : IUserAccess, allows ref struct
    {
        ulong done = 0;
        PageTableRange? table = null;
        while (done < length)
        {
            var current = address + done;
            if (table is not { } cached || current >= cached.End)
                table = LookupPageTable(current);
            if (table is not { } found)
                break;
            var chunk = PageChunk(current, length - done);
            PageTableLock.Enter();
            try
            {
                ref var pte = ref found.Entries[found.IndexOf(current)];
                if (!AllowsWithoutFault(found.Vma, pte, write))
                    break;
                // The page's bytes load while the folio does, instead of after it (Pte.ContentHint).
                Machine.Memory.Frames.Prefetch(pte.ContentHint, PageOffset(current));
                if (write)
                    MarkAccessedSmall(ref pte);
                var folio = pte.Folio!;
                access.Apply(folio, pte.Index, PageOffset(current), (int)done, chunk);
                var hint = folio.ContentHint(pte.Index); // for the next access through this entry
                if (pte.ContentHint != hint)
                    pte.ContentHint = hint;
            }
            finally
            {
                PageTableLock.Exit();
            }

            done += (ulong)chunk;
        }

        return done;
    }

    /// <summary>
    /// A user access (mmap_lock held for read): find the VMA, check access rights, fault until the entry allows the
    /// access. Returns with the PTL held and the entry checked, so the caller's load or store hits the page the entry
    /// maps at that moment; the caller releases the PTL.
    /// </summary>
    internal (Folio Folio, int Index) FaultIn(ulong address, bool write)
    {
        var vma = FindVma(address) ?? throw new SegmentationFaultException(address, "SEGV_MAPERR: no VMA covers the address");
        if (write && !vma.Has(VmFlags.Write))
            throw new SegmentationFaultException(address, "SEGV_ACCERR: write to a mapping without PROT_WRITE");
        if (!write && !vma.Has(VmFlags.Read) && !vma.Has(VmFlags.Write))
            throw new SegmentationFaultException(address, "SEGV_ACCERR: read of a PROT_NONE mapping");
        var pageAddress = PageGeometry.AlignDown(address, PageGeometry.PageSize);
        var index = vma.IndexOf(pageAddress);
        for (var attempt = 0; attempt < MaxAccessRetries; attempt++)
        {
            PageTableLock.Enter();
            ref var pte = ref vma.Ptes[index];
            if (pte.IsPresent && (!write || pte.IsWrite))
            {
                MarkAccessed(vma, index, ref pte, write);
                return (pte.Folio!, pte.Index);
            }

            PageTableLock.Exit();
            Machine.Faults.HandleFault(this, vma, pageAddress, write ? FaultFlags.Write : FaultFlags.None);
        }

        throw new InvariantViolationException($"{Name}: access at 0x{address:x} did not converge after {MaxAccessRetries} faults");
    }

    /// <summary>
    /// Whether the entry lets the access through without a fault (PTL held): present, writable for a store, in a VMA
    /// that permits the access (its flags are read as mprotect left them; a racing mprotect orders either before
    /// this access or, once it changed the entry under the PTL, after it). A huge entry whose write bits still need
    /// setting takes the slow path, which sets them over the whole huge mapping.
    /// </summary>
    private static bool AllowsWithoutFault(VmArea vma, in Pte pte, bool write)
    {
        if (!pte.IsPresent)
            return false;
        if (write)
            return pte.IsWrite && vma.Has(VmFlags.Write) && (!pte.IsHuge || pte.Has(AccessedForWrite));
        return vma.Has(VmFlags.Read) || vma.Has(VmFlags.Write);
    }

    /// <summary>What the hardware sets on a store through an entry: dirty, accessed (and soft-dirty, on x86).</summary>
    private const PteBits AccessedForWrite = PteBits.Dirty | PteBits.Young | PteBits.SoftDirty;

    private static void MarkAccessed(VmArea vma, int index, ref Pte pte, bool write)
    {
        if (!write || pte.Has(AccessedForWrite))
            return;
        if (pte.IsHuge)
        {
            HugeMapping.SetBits(vma, index, AccessedForWrite);
            pte.Folio!.Dirty = true;
        }
        else
        {
            MarkAccessedSmall(ref pte);
        }
    }

    private static void MarkAccessedSmall(ref Pte pte)
    {
        if (pte.Has(AccessedForWrite))
            return;
        pte.Bits |= AccessedForWrite;
        pte.Folio!.Dirty = true;
    }

    private static int PageOffset(ulong address) => (int)(address & (PageGeometry.PageSize - 1));

    /// <summary>The bytes of the access that fall into the page of <paramref name="address"/>.</summary>
    private static int PageChunk(ulong address, ulong remaining) =>
        (int)Math.Min((ulong)(PageGeometry.PageSize - PageOffset(address)), remaining);

    private static bool IsUserRange(ulong address, ulong length) => address + length >= address && address + length <= UnmappedArea.TaskSize;

    private static void CheckUserRange(ulong address, ulong length)
    {
        if (!IsUserRange(address, length))
            throw new SegmentationFaultException(address, "SEGV_MAPERR: range beyond the user address space");
    }
}
