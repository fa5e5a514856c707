using System.Buffers;
using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

internal sealed partial class Interpreter
{
    private Value Mmap(MmapStatement mmap)
    {
        var process = scope.Process(mmap.Process);
        var length = scope.Number(mmap.Length);
        var flags = mmap.Shared ? MapFlags.Shared : MapFlags.Private;
        MemFile? file = null;
        if (mmap.File is { } fileExpr)
        {
            file = scope.File(fileExpr).File;
        }
        else
        {
            flags |= MapFlags.Anonymous;
        }

        if (mmap.HugetlbSize is { } hugeExpr)
        {
            flags |= scope.Number(hugeExpr) switch
            {
                PageGeometry.PmdSize => MapFlags.Hugetlb,
                PageGeometry.PudSize => MapFlags.Hugetlb | MapFlags.Huge1G,
                var other => throw new ScenarioRuntimeException(hugeExpr.Location, $"expected a hugetlb size of 2M or 1G, found {other}"),
            };
        }

        if (mmap.Align is not { } alignExpr)
        {
            return new NumberValue(process.Mmap(length, ProtOf(mmap.Protection), flags, file));
        }

        // cow.c's trick for a THP-aligned area: map length + alignment and use the aligned start inside it.
        var alignment = scope.Number(alignExpr);
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ScenarioRuntimeException(alignExpr.Location, $"expected a power-of-two alignment, found {alignment}");
        }

        var start = process.Mmap(length + alignment, ProtOf(mmap.Protection), flags, file);
        return new NumberValue((start + alignment - 1) & ~(alignment - 1));
    }

    private Value Mremap(MremapStatement mremap)
    {
        var process = scope.Process(mremap.Process);
        var flags = MremapFlags.MayMove;
        var newAddress = 0UL;
        if (mremap.FixedAddress is { } fixedExpr)
        {
            flags |= MremapFlags.Fixed;
            newAddress = scope.Number(fixedExpr);
        }

        return new NumberValue(process.Mremap(scope.Number(mremap.Address), scope.Number(mremap.OldLength), scope.Number(mremap.NewLength), flags, newAddress));
    }

    private Value CreateFile(FileStatement file)
    {
        var length = scope.Number(file.Length);
        var created = file switch
        {
            { Kind: FileKind.Tmpfile } => machine.CreateTmpfile(),
            { HugetlbSize: { } huge } => machine.CreateHugetlbMemfd(file.Target ?? "memfd", scope.Number(huge)),
            _ => machine.CreateMemfd(file.Target ?? "memfd"),
        };
        created.Fallocate(0, checked((long)length));
        return new FileValue(created, length);
    }

    private Value Fork(ForkStatement fork) => new ProcessValue(scope.Process(fork.Parent).Fork(fork.Target));

    private void Madvise(MadviseStatement madvise) =>
        scope.Process(madvise.Process).Madvise(scope.Number(madvise.Address), scope.Number(madvise.Length), AdviceOf(madvise.Advice));

    /// <summary>swap_out is reclaim of the range (MADV_PAGEOUT); swap_in touches every page, as a read would.</summary>
    private void Swap(SwapStatement swap)
    {
        var process = scope.Process(swap.Process);
        if (swap.Out)
        {
            process.Madvise(scope.Number(swap.Address), scope.Number(swap.Length), VmModel.Advice.PageOut);
        }
        else
        {
            ReadRuns(process, scope.Number(swap.Address), scope.Number(swap.Length));
        }
    }

    private void UffdWriteProtect(UffdWriteProtectStatement uffd)
    {
        var process = scope.Process(uffd.Process);
        var (address, length) = (scope.Number(uffd.Address), scope.Number(uffd.Length));
        if (uffd.Protect && !process.Inspect(address).UffdWp)
        {
            process.UffdRegister(address, length);
        }

        process.UffdWriteProtect(address, length, uffd.Protect);
    }

    private static VmModel.Advice AdviceOf(Ast.Advice advice) => advice switch
    {
        Ast.Advice.DontNeed => VmModel.Advice.DontNeed,
        Ast.Advice.DontFork => VmModel.Advice.DontFork,
        Ast.Advice.DoFork => VmModel.Advice.DoFork,
        Ast.Advice.WipeOnFork => VmModel.Advice.WipeOnFork,
        Ast.Advice.KeepOnFork => VmModel.Advice.KeepOnFork,
        Ast.Advice.PageOut => VmModel.Advice.PageOut,
        Ast.Advice.HugePage => VmModel.Advice.HugePage,
        Ast.Advice.NoHugePage => VmModel.Advice.NoHugePage,
        Ast.Advice.Collapse => VmModel.Advice.Collapse,
        Ast.Advice.Mergeable => VmModel.Advice.Mergeable,
        _ => VmModel.Advice.Unmergeable,
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
