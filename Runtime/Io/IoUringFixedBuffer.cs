namespace CowGuard.VmModel;

/// <summary>
/// An io_uring registered ("fixed") buffer: io_sqe_buffer_register pins the pages with
/// FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM; IORING_OP_WRITE_FIXED makes the device read the pinned pages into a file,
/// IORING_OP_READ_FIXED makes it write file data into them. Unregistering unpins them dirty.
/// </summary>
public sealed class IoUringFixedBuffer : IDisposable
{
    private readonly PinnedPages _pins;

    internal IoUringFixedBuffer(PinnedPages pins) => _pins = pins;

    /// <summary>The user address of the buffer.</summary>
    public ulong Address => _pins.Start;

    /// <summary>The buffer length in bytes.</summary>
    public long Length => _pins.Length;

    /// <summary>The pins behind the buffer (what the device accesses).</summary>
    public PinnedPages Pins => _pins;

    /// <summary>IORING_OP_WRITE_FIXED: the device copies buffer bytes into the file.</summary>
    /// <param name="file">The sink.</param>
    /// <param name="fileOffset">Where in the file.</param>
    /// <param name="bufferOffset">Where in the buffer.</param>
    /// <param name="length">How many bytes.</param>
    public void WriteFixed(MemFile file, long fileOffset, long bufferOffset, int length)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Pwrite(fileOffset, _pins.ReadBytes(bufferOffset, length));
    }

    /// <summary>IORING_OP_READ_FIXED: the device copies file bytes into the buffer.</summary>
    /// <param name="file">The source.</param>
    /// <param name="fileOffset">Where in the file.</param>
    /// <param name="bufferOffset">Where in the buffer.</param>
    /// <param name="length">How many bytes.</param>
    public void ReadFixed(MemFile file, long fileOffset, long bufferOffset, int length)
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = new byte[length];
        var read = file.Pread(fileOffset, bytes);
        _pins.Write(bufferOffset, bytes.AsSpan(0, read));
    }

    /// <summary>io_sqe_buffers_unregister: unpins the pages, marking them dirty.</summary>
    public void Unregister() => Gup.UnpinUserPages(_pins, makeDirty: true);

    /// <summary>Unregisters if still registered.</summary>
    public void Dispose()
    {
        if (!_pins.IsReleased)
            Unregister();
    }
}
