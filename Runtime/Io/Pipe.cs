namespace CowGuard.VmModel;

/// <summary>
/// A pipe whose buffers can hold page references (vmsplice without SPLICE_F_GIFT): reading copies from the referenced
/// physical page at read time — which is how CVE-2020-29374 leaks data written after the vmsplice. Readers and
/// vmsplice serialise on the pipe's mutex (pipe_lock).
/// </summary>
public sealed class Pipe
{
    private readonly Machine _machine;
    private readonly Queue<PipeBuffer> _buffers = new();

    internal Pipe(Machine machine, int capacityBuffers)
    {
        _machine = machine;
        CapacityBuffers = capacityBuffers;
        Mutex = new ModelLock(LockClass.PipeMutex, machine.Lockdep);
    }

    /// <summary>The number of buffers the pipe can hold (pipe->max_usage).</summary>
    public int CapacityBuffers { get; }

    /// <summary>Bytes waiting to be read.</summary>
    public long BytesAvailable
    {
        get
        {
            using (Mutex.Lock())
                return _buffers.Sum(b => (long)b.Length);
        }
    }

    /// <summary>pipe->mutex.</summary>
    internal ModelLock Mutex { get; }

    /// <summary>read(2): copies up to destination.Length bytes; page references of consumed buffers are dropped.</summary>
    /// <param name="destination">Receives the bytes.</param>
    /// <returns>Bytes read (0 when the pipe is empty).</returns>
    public int Read(Span<byte> destination)
    {
        var done = 0;
        using (_machine.EnterOperation())
        using (Mutex.Lock())
        {
            while (done < destination.Length && _buffers.TryPeek(out var buffer))
            {
                var chunk = Math.Min(buffer.Length, destination.Length - done);
                buffer.Page.Folio.ReadBytes(buffer.Page.Index, buffer.Offset, destination.Slice(done, chunk));
                done += chunk;
                if (chunk == buffer.Length)
                {
                    _buffers.Dequeue();
                    _machine.GupEngine.Release(null, 0, buffer.Page, PageReferenceKind.Get, makeDirty: false);
                }
                else
                {
                    buffer.Offset += chunk;
                    buffer.Length -= chunk;
                }
            }
        }

        _machine.AfterOperation();
        return done;
    }

    /// <summary>Reads everything available (what another thread splices meanwhile may stay in the pipe).</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[BytesAvailable];
        var read = Read(bytes);
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>Closes the pipe: drops the references its buffers still hold.</summary>
    public void Close()
    {
        using (_machine.EnterOperation())
        using (Mutex.Lock())
        {
            while (_buffers.TryDequeue(out var buffer))
                _machine.GupEngine.Release(null, 0, buffer.Page, PageReferenceKind.Get, makeDirty: false);
        }

        _machine.AfterOperation();
    }

    /// <summary>Free buffers (pipe->mutex held).</summary>
    internal int FreeBuffers => CapacityBuffers - _buffers.Count;

    /// <summary>The queued buffers' pages, oldest first (quiescent machine only: the explorer encodes and peeks at them).</summary>
    internal IEnumerable<(PageRef Page, int Offset, int Length)> QueuedBuffers => _buffers.Select(b => (b.Page, b.Offset, b.Length));

    /// <summary>Queues a buffer (pipe->mutex held).</summary>
    internal void Append(PageRef page, int offset, int length) =>
        _buffers.Enqueue(new PipeBuffer { Page = page, Offset = offset, Length = length });

    private sealed class PipeBuffer
    {
        public PageRef Page;
        public int Offset;
        public int Length;
    }
}
