namespace CowGuard.VmModel;

/// <summary>
/// A modelled Linux machine: one COW era, physical memory (folios, zero pages, hugetlb pools, swap, KSM) and the
/// processes that share it. Everything lives in the machine (no static state). Single-threaded use is deterministic;
/// several threads may drive it at once (Machine.Locking.cs and docs/vmmodel.md, "Concurrency and locking").
/// </summary>
/// <example>
/// <code>
/// var machine = new Machine(Era.AnonExclusive);
/// VmProcess parent = machine.CreateProcess("parent");
/// ulong mem = parent.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous);
/// parent.Fill(mem, 4096, 0x01);
/// VmProcess child = parent.Fork();
/// </code>
/// </example>
public sealed partial class Machine
{
    private readonly List<VmProcess> _processes = [];
    private readonly ThpMode[] _thpModes = new ThpMode[PageGeometry.PmdOrder + 1];
    private int _nextPid;
    private int _nextFileId;

    /// <summary>Creates a machine of the given era with default options.</summary>
    /// <param name="era">The COW era.</param>
    public Machine(Era era) : this(new MachineOptions { Era = era })
    {
    }

    /// <summary>Creates a machine with the given options.</summary>
    /// <param name="options">Era, pools, swap and checking.</param>
    public Machine(MachineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Era);
        if (options.HugetlbPages2M < 0 || options.HugetlbPages1G < 0 || options.SwapPages < 0 || options.LruAddBatchSize < 0)
            throw new InvalidVmArgumentException(null, "pool, swap and batch sizes must not be negative");
        Options = options;
        Era = options.Era;
        Lockdep = options.CheckLockOrder ? new LockOrderChecker() : null;
        StopMachineLock = new RwSemaphore(LockClass.StopMachine, Lockdep);
        RmapLock = new RwSemaphore(LockClass.AnonVma, Lockdep);
        KsmLock = new ModelLock(LockClass.KsmThread, Lockdep);
        Events = new EventLog(options.RecordEvents, Lockdep);
        Memory = new PhysicalMemory(this, options);
        Rmap = new Rmap(this);
        Swapper = new Swapper(this);
        Faults = new FaultHandler(this);
        GupEngine = new GupEngine(this);
        foreach (var order in PageGeometry.ThpOrders)
            _thpModes[order] = order == PageGeometry.PmdOrder ? ThpMode.Madvise : ThpMode.Never;
    }

    /// <summary>The machine's COW era.</summary>
    public Era Era { get; }

    /// <summary>The options the machine was created with.</summary>
    public MachineOptions Options { get; }

    /// <summary>The event trace.</summary>
    public EventLog Events { get; }

    /// <summary>The processes that have not exited, in creation order (a snapshot).</summary>
    public IReadOnlyList<VmProcess> Processes
    {
        get
        {
            using (RmapLock.Read())
                return _processes.ToArray();
        }
    }

    /// <summary>The 2 MiB hugetlb pool.</summary>
    public HugetlbPool HugetlbPool2M => Memory.Pool2M;

    /// <summary>The 1 GiB hugetlb pool.</summary>
    public HugetlbPool HugetlbPool1G => Memory.Pool1G;

    /// <summary>Folios currently allocated (a leak shows up here after every process exited).</summary>
    public int LiveFolioCount => Memory.LiveFolioCount;

    /// <summary>Swap slots in use.</summary>
    public long SwapPagesUsed => Memory.Swap.Used;

    internal PhysicalMemory Memory { get; }

    internal Rmap Rmap { get; }

    internal Swapper Swapper { get; }

    internal FaultHandler Faults { get; }

    internal GupEngine GupEngine { get; }

    /// <summary>Creates a process with an empty address space.</summary>
    /// <param name="name">A name for traces and errors.</param>
    public VmProcess CreateProcess(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using (EnterOperation())
        {
            var process = new VmProcess(this, name, Interlocked.Increment(ref _nextPid));
            using (RmapLock.Write())
                _processes.Add(process);
            Events.Record(VmEventKind.Process, name, 0, null, null, "created");
            return process;
        }
    }

    /// <summary>Creates a pipe (pipe(2)) with the given capacity in page-sized buffers (PIPE_DEF_BUFFERS = 16).</summary>
    /// <param name="capacityBuffers">How many buffers the pipe holds before vmsplice stops.</param>
    public Pipe CreatePipe(int capacityBuffers = 16)
    {
        if (capacityBuffers <= 0)
            throw new InvalidVmArgumentException(null, "a pipe needs at least one buffer");
        return new Pipe(this, capacityBuffers);
    }

    /// <summary>memfd_create: a shmem file, empty until written, fallocated or truncated.</summary>
    /// <param name="name">The file name.</param>
    public MemFile CreateMemfd(string name) => new(this, Interlocked.Increment(ref _nextFileId), name, hugetlbOrder: 0);

    /// <summary>memfd_create(MFD_HUGETLB): a hugetlbfs file whose pages come from the hugetlb pool of that size.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="hugePageSize">2 MiB or 1 GiB.</param>
    public MemFile CreateHugetlbMemfd(string name, ulong hugePageSize = PageGeometry.PmdSize) =>
        new(this, Interlocked.Increment(ref _nextFileId), name, HugetlbOrderOf(hugePageSize));

    /// <summary>tmpfile(): a file on tmpfs (the model's page cache behaves like shmem).</summary>
    public MemFile CreateTmpfile() => new(this, Interlocked.Increment(ref _nextFileId), "tmpfile", hugetlbOrder: 0);

    /// <summary>Sets /sys/kernel/mm/transparent_hugepage/hugepages-&lt;size&gt;kB/enabled.</summary>
    /// <param name="size">The THP size: 16 KiB … 2 MiB, a power of two.</param>
    /// <param name="mode">Never, Madvise or Always.</param>
    public void SetThpMode(ulong size, ThpMode mode) => _thpModes[ThpOrderOf(size)] = mode; // an int store: atomic

    /// <summary>The THP mode of one size.</summary>
    /// <param name="size">The THP size: 16 KiB … 2 MiB.</param>
    public ThpMode GetThpMode(ulong size) => ThpModeOfOrder(ThpOrderOf(size));

    /// <summary>lru_add_drain: let the fresh folios' transient lru_add batch references go.</summary>
    public void LruAddDrain()
    {
        using (EnterOperation())
            Memory.LruAddDrain();
        AfterOperation();
    }

    /// <summary>
    /// Checks every invariant now (throws <see cref="InvariantViolationException"/> on a model bug). Waits until no
    /// operation is running and keeps new ones out while it checks, so it always sees a quiescent machine.
    /// </summary>
    public void CheckInvariants()
    {
        using (StopMachineLock.Write())
            new InvariantChecker(this).Check();
    }

    internal ThpMode ThpModeOfOrder(int order) => _thpModes[order];

    /// <summary>The live process list itself: for rmap walks under <see cref="RmapLock"/> and the quiescent checker.</summary>
    internal List<VmProcess> ProcessList => _processes;

    internal int NextPid() => Interlocked.Increment(ref _nextPid);

    /// <summary>Runs after a public operation released its locks (never inside one: the check needs the barrier).</summary>
    internal void AfterOperation()
    {
        if (Options.CheckInvariants)
            CheckInvariants();
    }

    internal static int HugetlbOrderOf(ulong hugePageSize) => hugePageSize switch
    {
        PageGeometry.PmdSize => PageGeometry.PmdOrder,
        PageGeometry.PudSize => PageGeometry.PudOrder,
        _ => throw new InvalidVmArgumentException(null, $"no hugetlb pool of size {hugePageSize} (2 MiB and 1 GiB exist)"),
    };

    private static int ThpOrderOf(ulong size)
    {
        foreach (var order in PageGeometry.ThpOrders)
        {
            if (PageGeometry.OrderSize(order) == size)
                return order;
        }

        throw new InvalidVmArgumentException(null, $"no THP size {size} (16 KiB … 2 MiB, powers of two)");
    }
}
