using BenchmarkDotNet.Attributes;
using CowGuard.VmModel;

namespace CowGuard.Benchmarks.Model;

/// <summary>
/// Reference taking on N touched pages: a FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE pin and unpin (the io_uring fixed
/// buffer path: io_sqe_buffers_register → pin_user_pages), GUP-fast FOLL_GET + put_page, and vmsplice into a pipe
/// plus draining it (iov_iter_get_pages → get_user_pages_fast). The C twins are cowbench.c `iouring` and `vmsplice`.
/// </summary>
public class GupBenchmarks
{
    private const int PipeBuffers = 256;

    private Machine _machine = null!;
    private VmProcess _process = null!;
    private ulong _start;
    private Pipe _pipe = null!;
    private byte[] _drain = [];

    [ParamsSource(nameof(PageCounts))]
    public int Pages { get; set; }

    public static IEnumerable<int> PageCounts => ModelBenchmarkSettings.PageCounts;

    [GlobalSetup]
    public void Setup()
    {
        (_machine, _process, _start) = ModelWorld.ProcessWithTouchedPages(Pages);
        _pipe = _machine.CreatePipe(PipeBuffers);
        _drain = new byte[PipeBuffers * (int)ModelWorld.PageSize];
    }

    [Benchmark(Description = "io_uring register+unregister (pin+unpin)")]
    public long IoUringRegister()
    {
        using var buffer = _process.IoUringRegisterBuffer(_start, (ulong)Pages * ModelWorld.PageSize);
        return buffer.Length;
    }

    [Benchmark(Description = "pin_user_pages+unpin")]
    public int PinUnpin()
    {
        using var pins = Gup.PinUserPages(_process, _start, Pages, FollFlags.Write | FollFlags.Longterm);
        return pins.PageCount;
    }

    [Benchmark(Description = "GUP-fast get+put (write)")]
    public int GupFast()
    {
        using var references = Gup.GetUserPagesFast(_process, _start, Pages, FollFlags.Write);
        return references.PageCount;
    }

    [Benchmark(Description = "vmsplice+drain")]
    [WrongSideCowOk("The pipe is drained before the benchmark forks or writes, so no reference can outlive a COW.")]
    public long VmspliceAndDrain()
    {
        long moved = 0;
        var total = (ulong)Pages * ModelWorld.PageSize;
        for (ulong offset = 0; offset < total; offset += PipeBuffers * ModelWorld.PageSize)
        {
            var chunk = Math.Min(total - offset, PipeBuffers * ModelWorld.PageSize);
            moved += _process.Vmsplice(_pipe, _start + offset, chunk);
            while (_pipe.BytesAvailable > 0)
            {
                _pipe.Read(_drain);
            }
        }

        return moved;
    }
}
