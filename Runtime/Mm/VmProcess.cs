namespace CowGuard.VmModel;

/// <summary>
/// A process and its mm: VMAs with their page tables, MMF_HAS_PINNED, write_protect_seq. User reads and writes go
/// through the fault path exactly as CPU accesses would (do_anonymous_page, do_wp_page, do_swap_page, ...). Several
/// threads may use one process at once, like threads sharing an mm (VmProcess.Locking.cs).
/// </summary>
public sealed partial class VmProcess
{
    private readonly List<VmArea> _vmas = [];
    private volatile bool _alive = true;
    private volatile bool _hasPinned;

    internal VmProcess(Machine machine, string name, int pid)
    {
        Machine = machine;
        Name = name;
        Pid = pid;
        MmapLock = new RwSemaphore(LockClass.MmapLock, machine.Lockdep);
        PageTableLock = new ModelSpinLock(LockClass.PageTableLock, machine.Lockdep);
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
}
