namespace CowGuard.VmModel;

/// <summary>
/// A process and its mm: VMAs with their page tables, MMF_HAS_PINNED, write_protect_seq. User reads and writes go
/// through the fault path exactly as CPU accesses would (do_anonymous_page, do_wp_page, do_swap_page, ...). Several
/// threads may use one process at once, like threads sharing an mm (VmProcess.Locking.cs).
/// </summary>
public sealed partial class VmProcess
{
    private const ulong MmapBase = 0x7f00_0000_0000;
    private const ulong TaskSize = 0x7fff_ffff_f000;

    /// <summary>How often one user access re-faults before the model calls it a livelock (a model bug).</summary>
    private const int MaxAccessRetries = 10_000;

    private readonly List<VmArea> _vmas = [];
    private ulong _mmapCursor = MmapBase;
    private volatile bool _alive = true;
    private volatile bool _hasPinned;

    internal VmProcess(Machine machine, string name, int pid)
    {
        Machine = machine;
        Name = name;
        Pid = pid;
        MmapLock = new RwSemaphore(LockClass.MmapLock, machine.Lockdep);
        PageTableLock = new ModelLock(LockClass.PageTableLock, machine.Lockdep);
    }

    /// <summary>The machine the process runs on.</summary>
    public Machine Machine { get; }

    /// <summary>The process name (used in traces and errors).</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>False after <see cref="Exit"/>.</summary>
    public bool IsAlive => _alive;

    /// <summary>MMF_HAS_PINNED: FOLL_PIN has run on this mm at least once (never cleared).</summary>
    public bool HasPinned
    {
        get => _hasPinned;
        internal set => _hasPinned = value;
    }

    /// <summary>write_protect_seq: odd while fork write-protects this mm (GUP-fast must not pin then).</summary>
    public long WriteProtectSeq => ReadWriteProtectSeq();

    internal IReadOnlyList<VmArea> Areas => _vmas;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (pid {Pid})";

    /// <summary>Reads one byte as the process's CPU would (a read fault if not present).</summary>
    /// <param name="address">Any mapped, readable address.</param>
    public byte ReadByte(ulong address)
    {
        Span<byte> one = stackalloc byte[1];
        Read(address, one);
        return one[0];
    }

    /// <summary>Reads bytes as the process's CPU would.</summary>
    /// <param name="address">Start address.</param>
    /// <param name="destination">Receives the bytes.</param>
    public void Read(ulong address, Span<byte> destination)
    {
        using (Machine.EnterOperation())
        using (MmapLock.Read())
        {
            EnsureAlive("read");
            CheckUserRange(address, (ulong)destination.Length);
            var done = 0;
            while (done < destination.Length)
            {
                var current = address + (ulong)done;
                var offset = (int)(current & (PageGeometry.PageSize - 1));
                var chunk = Math.Min(PageGeometry.PageSize - offset, destination.Length - done);
                var (folio, index) = FaultIn(current, write: false);
                try
                {
                    folio.ReadBytes(index, offset, destination.Slice(done, chunk));
                }
                finally
                {
                    PageTableLock.Exit();
                }

                done += chunk;
            }
        }

        Machine.AfterOperation();
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
        using (Machine.EnterOperation())
        using (MmapLock.Read())
        {
            EnsureAlive("write");
            CheckUserRange(address, (ulong)source.Length);
            var done = 0;
            while (done < source.Length)
            {
                var current = address + (ulong)done;
                var offset = (int)(current & (PageGeometry.PageSize - 1));
                var chunk = Math.Min(PageGeometry.PageSize - offset, source.Length - done);
                var (folio, index) = FaultIn(current, write: true);
                try
                {
                    folio.WriteBytes(index, offset, source.Slice(done, chunk));
                }
                finally
                {
                    PageTableLock.Exit();
                }

                done += chunk;
            }
        }

        Machine.AfterOperation();
    }

    /// <summary>Writes one byte.</summary>
    /// <param name="address">The address.</param>
    /// <param name="value">The byte.</param>
    public void WriteByte(ulong address, byte value) => Write(address, [value]);

    /// <summary>memset: fills a range with one byte (pages stay uniform, so this is cheap for huge ranges).</summary>
    /// <param name="address">Start address.</param>
    /// <param name="length">Number of bytes.</param>
    /// <param name="value">The byte.</param>
    public void Fill(ulong address, ulong length, byte value)
    {
        using (Machine.EnterOperation())
        using (MmapLock.Read())
        {
            EnsureAlive("fill");
            CheckUserRange(address, length);
            ulong done = 0;
            while (done < length)
            {
                var current = address + done;
                var offset = (int)(current & (PageGeometry.PageSize - 1));
                var chunk = (int)Math.Min((ulong)(PageGeometry.PageSize - offset), length - done);
                var (folio, index) = FaultIn(current, write: true);
                try
                {
                    folio.FillBytes(index, offset, chunk, value);
                }
                finally
                {
                    PageTableLock.Exit();
                }

                done += (ulong)chunk;
            }
        }

        Machine.AfterOperation();
    }

    /// <summary>exit_mmap: tears the address space down; references held elsewhere (pipes, pins) keep their pages.</summary>
    public void Exit()
    {
        using (Machine.EnterOperation())
        using (MmapWrite())
        {
            EnsureAlive("exit");
            foreach (var vma in _vmas)
                Unmapper.ZapRange(this, vma, 0, vma.PageCount);
            foreach (var vma in _vmas)
                ReleaseHugetlbReservation(vma);
            using (Machine.RmapLock.Write())
            {
                _vmas.Clear();
                LayoutChanged();
                _alive = false;
                Machine.ProcessList.Remove(this);
            }

            Machine.Events.Record(VmEventKind.Process, Name, 0, null, null, "exited");
        }

        Machine.AfterOperation();
    }

    /// <summary>Throws when the process has exited; called with mmap_lock held, so exit cannot be halfway through.</summary>
    internal void EnsureAlive(string operation)
    {
        if (!_alive)
            throw new ProcessExitedException(Name, operation);
    }

    internal VmArea? FindVma(ulong address)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var vma = _vmas[mid];
            if (address < vma.Start)
                hi = mid - 1;
            else if (address >= vma.End)
                lo = mid + 1;
            else
                return vma;
        }

        return null;
    }

    /// <summary>
    /// A user access (mmap_lock held for read): find the VMA, check access rights, fault until the entry allows the
    /// access. Returns with the PTL held and the entry checked, so the caller's load or store hits the page the entry
    /// maps at that moment — no zap, swap-out or KSM merge can come between (the model's stand-in for a TLB-coherent
    /// CPU access); the caller releases the PTL.
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
                const PteBits accessedForWrite = PteBits.Dirty | PteBits.Young | PteBits.SoftDirty;
                if (write && !pte.Has(accessedForWrite))
                {
                    if (pte.IsHuge)
                        HugeMapping.SetBits(vma, index, accessedForWrite);
                    else
                        pte.Bits |= accessedForWrite;
                    pte.Folio!.Dirty = true;
                }

                return (pte.Folio!, pte.Index);
            }

            PageTableLock.Exit();
            Machine.Faults.HandleFault(this, vma, pageAddress, write ? FaultFlags.Write : FaultFlags.None);
        }

        throw new InvariantViolationException($"{Name}: access at 0x{address:x} did not converge after {MaxAccessRetries} faults");
    }

    private static void CheckUserRange(ulong address, ulong length)
    {
        if (address + length < address || address + length > TaskSize)
            throw new SegmentationFaultException(address, "SEGV_MAPERR: range beyond the user address space");
    }
}
