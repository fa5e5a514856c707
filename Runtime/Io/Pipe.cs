namespace CowGuard.VmModel;

/// <summary>
/// A pipe whose buffers can hold page references (vmsplice without SPLICE_F_GIFT): reading copies from the referenced
/// physical page at read time — which is how CVE-2020-29374 leaks data written after the vmsplice. Readers and
/// vmsplice serialise on the pipe's mutex (pipe_lock). The buffers are a ring of structs, like pipe->bufs (head, tail,
/// a byte count kept as buffers come and go), so a splice allocates nothing per page and the byte count costs nothing.
/// </summary>
public sealed class Pipe
{
    private readonly Machine _machine;
    private PipeBuffer[] _ring = [];
    private int _head;
    private int _count;
    private long _bytes;

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
                return _bytes;
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
            while (done < destination.Length && _count > 0)
            {
                ref var buffer = ref _ring[_head];
                var chunk = Math.Min(buffer.Length, destination.Length - done);
                buffer.Page.Folio.ReadBytes(buffer.Page.Index, buffer.Offset, destination.Slice(done, chunk));
                done += chunk;
                _bytes -= chunk;
                if (chunk == buffer.Length)
                {
                    var page = buffer.Page;
                    buffer = default;
                    _head = (_head + 1) & (_ring.Length - 1);
                    _count--;
                    _machine.GupEngine.Release(null, 0, page, PageReferenceKind.Get, makeDirty: false);
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
            while (_count > 0)
            {
                var page = _ring[_head].Page;
                _ring[_head] = default;
                _head = (_head + 1) & (_ring.Length - 1);
                _count--;
                _machine.GupEngine.Release(null, 0, page, PageReferenceKind.Get, makeDirty: false);
            }

            _bytes = 0;
        }

        _machine.AfterOperation();
    }

    /// <summary>Free buffers (pipe->mutex held).</summary>
    internal int FreeBuffers => CapacityBuffers - _count;

    /// <summary>The queued buffers' pages, oldest first (quiescent machine only: the explorer encodes and peeks at them).</summary>
    internal IEnumerable<(PageRef Page, int Offset, int Length)> QueuedBuffers =>
        Enumerable.Range(0, _count).Select(i => _ring[(_head + i) & (_ring.Length - 1)]).Select(b => (b.Page, b.Offset, b.Length));

    /// <summary>Queues a buffer (pipe->mutex held; the caller checked <see cref="FreeBuffers"/>).</summary>
    internal void Append(PageRef page, int offset, int length)
    {
        if (_count == _ring.Length)
            Grow();
        _ring[(_head + _count) & (_ring.Length - 1)] = new PipeBuffer { Page = page, Offset = offset, Length = length };
        _count++;
        _bytes += length;
    }

    /// <summary>The ring doubles as buffers arrive (a power of two, so an index wraps with a mask), head first.</summary>
    private void Grow()
    {
        var grown = new PipeBuffer[Math.Max(16, _ring.Length * 2)];
        for (var i = 0; i < _count; i++)
            grown[i] = _ring[(_head + i) & (_ring.Length - 1)];
        _ring = grown;
        _head = 0;
    }

    private struct PipeBuffer
    {
        public PageRef Page;
        public int Offset;
        public int Length;
    }
}
