using System.Buffers;
using CowGuard.Scenarios.Binding;
using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>Mappings, files and CPU accesses: mm/mmap.c, mm/mprotect.c, mm/madvise.c, mm/mremap.c and the fault path.</summary>
internal sealed partial class Interpreter
{
    public Value? VisitMmap(BoundMmap node)
    {
        var process = Process(node.Process);
        var length = Number(node.Length);
        var flags = node.Shared ? MapFlags.Shared : MapFlags.Private;
        MemFile? file = null;
        if (node.File is { } fileExpression)
        {
            file = Scope.As<FileValue>(Evaluate(fileExpression)).File;
        }
        else
        {
            flags |= MapFlags.Anonymous;
        }

        if (node.HugetlbSize is { } huge)
        {
            flags |= HugetlbSize(huge) == PageGeometry.PmdSize ? MapFlags.Hugetlb : MapFlags.Hugetlb | MapFlags.Huge1G;
        }

        if (node.Align is not { } alignExpression)
        {
            return new NumberValue(process.Mmap(length, ProtOf(node.Protection), flags, file));
        }

        // cow.c's trick for a THP-aligned area: map length + alignment and use the aligned start inside it.
        var alignment = Number(alignExpression);
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ScenarioRuntimeException(alignExpression.Location, $"expected a power-of-two alignment, found {alignment}");
        }

        var start = process.Mmap(length + alignment, ProtOf(node.Protection), flags, file);
        return new NumberValue((start + alignment - 1) & ~(alignment - 1));
    }

    public Value? VisitCreateFile(BoundCreateFile node)
    {
        var length = Number(node.Length);
        var name = node.Target?.Name ?? "memfd";
        var created = node switch
        {
            { Kind: FileKind.Tmpfile } => _machine.CreateTmpfile(),
            { HugetlbSize: { } huge } => _machine.CreateHugetlbMemfd(name, HugetlbSize(huge)),
            _ => _machine.CreateMemfd(name),
        };
        created.Fallocate(0, checked((long)length));
        return new FileValue(created, length);
    }

    public Value? VisitMunmap(BoundMunmap node) => Done(() => Process(node.Process).Munmap(Number(node.Address), Number(node.Length)));

    public Value? VisitMprotect(BoundMprotect node) =>
        Done(() => Process(node.Process).Mprotect(Number(node.Address), Number(node.Length), ProtOf(node.Protection)));

    public Value? VisitMadvise(BoundMadvise node) =>
        Done(() => Process(node.Process).Madvise(Number(node.Address), Number(node.Length), AdviceOf(node.Advice)));

    public Value? VisitMremap(BoundMremap node)
    {
        var process = Process(node.Process);
        var flags = MremapFlags.MayMove;
        var newAddress = 0UL;
        if (node.FixedAddress is { } fixedAddress)
        {
            flags |= MremapFlags.Fixed;
            newAddress = Number(fixedAddress);
        }

        return new NumberValue(process.Mremap(Number(node.Address), Number(node.OldLength), Number(node.NewLength), flags, newAddress));
    }

    public Value? VisitFill(BoundFill node) => Done(() => Process(node.Process).Fill(Number(node.Address), Number(node.Length), Byte(node.Value)));

    /// <summary>swap_out is reclaim of the range (MADV_PAGEOUT); swap_in touches every page, as a read would.</summary>
    public Value? VisitSwap(BoundSwap node) => Done(() =>
    {
        var process = Process(node.Process);
        if (node.Out)
        {
            process.Madvise(Number(node.Address), Number(node.Length), VmModel.Advice.PageOut);
        }
        else
        {
            ReadRuns(process, Number(node.Address), Number(node.Length));
        }
    });

    public Value? VisitClearRefs(BoundClearRefs node) => Done(() => Process(node.Process).ClearSoftDirty());

    public Value? VisitUffdWriteProtect(BoundUffdWriteProtect node) => Done(() =>
    {
        var process = Process(node.Process);
        var (address, length) = (Number(node.Address), Number(node.Length));
        if (node.Protect && !process.Inspect(address).UffdWp)
        {
            process.UffdRegister(address, length);
        }

        process.UffdWriteProtect(address, length, node.Protect);
    });

    public Value? VisitRead(BoundRead node) => new BytesValue(ReadRuns(Process(node.Process), Number(node.Address), Number(node.Length)));

    public Value? VisitPageFact(BoundPageFact node) => new NumberValue(PageFacts.Read(Process(node.Process).Inspect(Number(node.Address)), node));

    /// <summary>A hugetlb size computed while running (a constant one was checked at load time).</summary>
    private ulong HugetlbSize(BoundExpression expression)
    {
        var size = Number(expression);
        return Binder.IsHugetlbSize(size) ? size : throw new ScenarioRuntimeException(expression.Location, Binder.HugetlbSizeError(size));
    }

    private static VmModel.Advice AdviceOf(Bound.Advice advice) => advice switch
    {
        Bound.Advice.DontNeed => VmModel.Advice.DontNeed,
        Bound.Advice.DontFork => VmModel.Advice.DontFork,
        Bound.Advice.DoFork => VmModel.Advice.DoFork,
        Bound.Advice.WipeOnFork => VmModel.Advice.WipeOnFork,
        Bound.Advice.KeepOnFork => VmModel.Advice.KeepOnFork,
        Bound.Advice.PageOut => VmModel.Advice.PageOut,
        Bound.Advice.HugePage => VmModel.Advice.HugePage,
        Bound.Advice.NoHugePage => VmModel.Advice.NoHugePage,
        Bound.Advice.Collapse => VmModel.Advice.Collapse,
        Bound.Advice.Mergeable => VmModel.Advice.Mergeable,
        Bound.Advice.Unmergeable => VmModel.Advice.Unmergeable,
        _ => throw new ArgumentOutOfRangeException(nameof(advice), advice, "unknown advice"),
    };

    private static Prot ProtOf(Protection protection) => protection switch
    {
        Protection.ReadWrite => Prot.Read | Prot.Write,
        Protection.Read => Prot.Read,
        _ => Prot.None,
    };

    /// <summary>Reads a range page by page into runs, so huge ranges cost memory proportional to their distinct runs.</summary>
    private static ByteRuns ReadRuns(VmProcess process, ulong address, ulong length)
    {
        // Read in chunks of up to 64 MiB: each process.Read is one model operation (and one invariant check of the
        // whole machine when the run checks invariants), so reading a 1 GiB page page by page would check the machine
        // 262144 times — with a 1 GiB io_uring sink file of 262144 page-cache folios, hours of checking.
        const int chunkSize = 64 << 20;
        var runs = new ByteRuns();
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, chunkSize));
        try
        {
            for (var done = 0UL; done < length;)
            {
                var count = (int)Math.Min((ulong)buffer.Length, length - done);
                process.Read(address + done, buffer.AsSpan(0, count));
                runs.Append(buffer.AsSpan(0, count));
                done += (ulong)count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return runs;
    }
}
