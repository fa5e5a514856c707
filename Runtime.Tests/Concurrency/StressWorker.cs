namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>
/// One thread of a root process: it owns one slot per owner page and picks weighted random steps until the run stops,
/// then releases what it holds. Expected failures are typed <see cref="VmException"/>s of steps that may legitimately
/// fail (the scratch region is unmapped and write-protected under other threads' feet; a child may exit while used);
/// anything else — another exception, a broken oracle — stops the run.
/// </summary>
internal sealed partial class StressWorker
{
    private const int MaxHeldPins = 2;

    private static readonly (StressOp Op, int Weight)[] Weights =
    [
        (StressOp.Write, 20), (StressOp.ReadOwn, 10), (StressOp.ReadPage, 8), (StressOp.PinWrite, 4), (StressOp.PinFastRange, 3), (StressOp.PinRead, 3),
        (StressOp.UseHeldPin, 8), (StressOp.ReleaseHeldPin, 4), (StressOp.GetPut, 6), (StressOp.Vmsplice, 2), (StressOp.PageOut, 1),
        (StressOp.Fork, 2), (StressOp.ChildVerify, 3), (StressOp.ChildGup, 3), (StressOp.ChildFork, 1), (StressOp.ChildExit, 2),
        (StressOp.RemoteRead, 2), (StressOp.ScratchWrite, 6), (StressOp.ScratchRead, 4), (StressOp.ScratchDontNeed, 3),
        (StressOp.ScratchRemap, 2), (StressOp.ScratchProtect, 2), (StressOp.ScratchGup, 4), (StressOp.KsmScan, 1),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    private readonly StressContext _context;
    private readonly StressRoot _root;
    private readonly int _owner;
    private readonly Random _random;
    private readonly List<HeldPin> _held = [];
    private readonly Pipe _pipe;
    private volatile string _current = "not started";
    private long _iterations;

    public StressWorker(StressContext context, StressRoot root, int owner, int seed)
    {
        _context = context;
        _root = root;
        _owner = owner;
        _random = new Random(seed);
        _pipe = context.Machine.CreatePipe();
        Name = $"{root.Process.Name}/t{owner}";
    }

    public string Name { get; }

    /// <summary>What the thread is doing now (for the deadlock report).</summary>
    public string Current => $"{Name} iteration {Interlocked.Read(ref _iterations)}: {_current}";

    public long[] Counts { get; } = new long[Enum.GetValues<StressOp>().Length];

    public Dictionary<string, int> ExpectedErrors { get; } = [];

    public void Run()
    {
        while (!_context.Stopping)
        {
            var op = Pick();
            _current = op.ToString();
            try
            {
                Execute(op);
                Counts[(int)op]++;
            }
            catch (VmException e) when (MayFail(op, e))
            {
                ExpectedErrors[e.GetType().Name] = ExpectedErrors.GetValueOrDefault(e.GetType().Name) + 1;
            }
            catch (Exception e)
            {
                _context.Fail($"{Name}, step {op} (iteration {_iterations}): {e}");
            }

            Interlocked.Increment(ref _iterations);
        }

        _current = "releasing held pins and its pipe";
        try
        {
            while (_held.Count > 0)
                ReleaseHeldPin(_held[^1]);
            _pipe.Close();
        }
        catch (Exception e)
        {
            _context.Fail($"{Name}, releasing what it held: {e}");
        }

        _current = "done";
    }

    private static bool MayFail(StressOp op, VmException e) => op switch
    {
        StressOp.ScratchWrite or StressOp.ScratchRead or StressOp.ScratchDontNeed or StressOp.ScratchRemap
            or StressOp.ScratchProtect or StressOp.ScratchGup => true,
        StressOp.ChildVerify or StressOp.ChildGup or StressOp.ChildFork or StressOp.ChildExit => e is ProcessExitedException,
        _ => false,
    };

    private StressOp Pick()
    {
        var roll = _random.Next(TotalWeight);
        foreach (var (op, weight) in Weights)
        {
            if (roll < weight)
                return op;
            roll -= weight;
        }

        throw new InvalidOperationException("weights do not cover the roll");
    }

    private void Execute(StressOp op)
    {
        switch (op)
        {
            case StressOp.Write: Write(); break;
            case StressOp.ReadOwn: ReadOwn(); break;
            case StressOp.ReadPage: ReadPage(); break;
            case StressOp.PinWrite: PinWrite(); break;
            case StressOp.PinFastRange: PinFastRange(); break;
            case StressOp.PinRead: PinRead(); break;
            case StressOp.UseHeldPin: UseHeldPin(); break;
            case StressOp.ReleaseHeldPin: ReleaseRandomHeldPin(); break;
            case StressOp.GetPut: GetPut(); break;
            case StressOp.Vmsplice: Vmsplice(); break;
            case StressOp.PageOut: PageOut(); break;
            case StressOp.Fork: Fork(); break;
            case StressOp.ChildVerify: ChildVerify(); break;
            case StressOp.ChildGup: ChildGup(); break;
            case StressOp.ChildFork: ChildFork(); break;
            case StressOp.ChildExit: ChildExit(); break;
            case StressOp.RemoteRead: RemoteRead(); break;
            case StressOp.ScratchWrite: ScratchWrite(); break;
            case StressOp.ScratchRead: ScratchRead(); break;
            case StressOp.ScratchDontNeed: ScratchDontNeed(); break;
            case StressOp.ScratchRemap: ScratchRemap(); break;
            case StressOp.ScratchProtect: ScratchProtect(); break;
            case StressOp.ScratchGup: ScratchGup(); break;
            case StressOp.KsmScan: _context.Machine.KsmScan(); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown step");
        }
    }

    private void Check(bool condition, string failure)
    {
        if (!condition)
            throw new StressOracleException($"{Name}: {failure}");
    }

    private sealed record HeldPin(PinnedPages Handle, int Page, bool Write);
}
