namespace CowGuard.VmModel;

/// <summary>
/// A shmem-like file (memfd, tmpfile on tmpfs, hugetlbfs memfd, or the object behind a shared anonymous mapping).
/// Its page cache holds one reference per folio for as long as the machine lives; pages are created zero-filled on
/// first use (shmem_get_folio), hugetlbfs pages come from the hugetlb pool. Writers of the size serialise on the inode
/// lock (i_rwsem); the page cache is under its i_pages lock, which faults take too.
/// </summary>
public sealed class MemFile
{
    private readonly Machine _machine;
    private readonly Dictionary<long, Folio> _pageCache = [];
    private readonly ModelLock _inodeLock;
    private readonly ModelLock _pagesLock;
    private long _size;

    internal MemFile(Machine machine, int id, string name, int hugetlbOrder)
    {
        _machine = machine;
        Id = id;
        Name = name;
        HugetlbOrder = hugetlbOrder;
        _inodeLock = new ModelLock(LockClass.InodeRwsem, machine.Lockdep);
        _pagesLock = new ModelLock(LockClass.IPages, machine.Lockdep);
    }

    /// <summary>A number identifying the file within its machine (0 for internal objects).</summary>
    public int Id { get; }

    /// <summary>The file name.</summary>
    public string Name { get; }

    /// <summary>The file size in bytes (i_size_read: readable without the inode lock).</summary>
    public long Size
    {
        get => Volatile.Read(ref _size);
        private set => Volatile.Write(ref _size, value);
    }

    /// <summary>True for hugetlbfs files.</summary>
    public bool IsHugetlb => HugetlbOrder != 0;

    internal int HugetlbOrder { get; }

    private int FolioPages => 1 << HugetlbOrder;

    /// <summary>
    /// ftruncate to a larger size (shmem_setattr): the file grows, the new range reads as zeros and its pages are
    /// created on first use. Shrinking (truncate_inode_pages, unmap_mapping_range) is not modelled and is refused.
    /// </summary>
    /// <param name="size">The new size, not below the current one.</param>
    public void Truncate(long size)
    {
        using (_machine.EnterOperation())
        using (_inodeLock.Lock())
        {
            if (size < Size)
                throw new InvalidVmArgumentException(null, $"ftruncate to {size} bytes would shrink the file from {Size}: shrinking is not modelled");
            if (IsHugetlb && size % (long)PageGeometry.OrderSize(HugetlbOrder) != 0)
                throw new InvalidVmArgumentException(null, $"EINVAL: hugetlbfs sizes are multiples of the huge page size ({PageGeometry.OrderSize(HugetlbOrder)} bytes)");
            Size = size;
        }

        _machine.AfterOperation();
    }

    /// <summary>fallocate: allocates the pages of the range (growing the file), zero-filled.</summary>
    /// <param name="offset">Byte offset.</param>
    /// <param name="length">Byte length.</param>
    public void Fallocate(long offset, long length)
    {
        if (offset < 0 || length <= 0)
            throw new InvalidVmArgumentException(null, "fallocate needs a non-negative offset and a positive length");
        using (_machine.EnterOperation())
        using (_inodeLock.Lock())
        {
            Size = Math.Max(Size, offset + length);
            for (var pgoff = offset >> PageGeometry.PageShift; pgoff < (offset + length + PageGeometry.PageSize - 1) >> PageGeometry.PageShift; pgoff++)
                Lookup(pgoff, create: true, faultAddress: null);
        }

        _machine.AfterOperation();
    }

    /// <summary>pwrite: writes through the page cache (growing the file).</summary>
    /// <param name="offset">Byte offset.</param>
    /// <param name="data">The bytes.</param>
    public void Pwrite(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0)
            throw new InvalidVmArgumentException(null, "negative file offset");
        using (_machine.EnterOperation())
        using (_inodeLock.Lock())
        {
            Size = Math.Max(Size, offset + data.Length);
            var done = 0;
            while (done < data.Length)
            {
                var position = offset + done;
                var inPage = (int)(position & (PageGeometry.PageSize - 1));
                var chunk = Math.Min(PageGeometry.PageSize - inPage, data.Length - done);
                var page = Lookup(position >> PageGeometry.PageShift, create: true, faultAddress: null)!.Value;
                page.Folio.WriteBytes(page.Index, inPage, data.Slice(done, chunk));
                page.Folio.Dirty = true;
                done += chunk;
            }
        }

        _machine.AfterOperation();
    }

    /// <summary>pread: reads through the page cache; returns the bytes read (short at end of file).</summary>
    /// <param name="offset">Byte offset.</param>
    /// <param name="destination">Receives the bytes.</param>
    public int Pread(long offset, Span<byte> destination)
    {
        if (offset < 0)
            throw new InvalidVmArgumentException(null, "negative file offset");
        using (_machine.EnterOperation())
        {
            var length = (int)Math.Clamp(Size - offset, 0, destination.Length);
            var done = 0;
            while (done < length)
            {
                var position = offset + done;
                var inPage = (int)(position & (PageGeometry.PageSize - 1));
                var chunk = Math.Min(PageGeometry.PageSize - inPage, length - done);
                if (Lookup(position >> PageGeometry.PageShift, create: false, faultAddress: null) is { } page)
                    page.Folio.ReadBytes(page.Index, inPage, destination.Slice(done, chunk));
                else
                    destination.Slice(done, chunk).Clear();
                done += chunk;
            }

            return length;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Size} bytes)";

    /// <summary>The page-cache page for a fault at file page <paramref name="pgoff"/>; SIGBUS beyond EOF or without a huge page.</summary>
    internal PageRef PageForFault(long pgoff, ulong address)
    {
        if (pgoff << PageGeometry.PageShift >= Size)
            throw new BusErrorException(address, "SIGBUS: fault beyond the end of the file");
        return Lookup(pgoff, create: true, address)!.Value;
    }

    /// <summary>The size of the object behind a new MAP_SHARED|MAP_ANONYMOUS mapping, which nobody else can see yet.</summary>
    internal void SetSizeOfNewObject(long size) => Size = size;

    /// <summary>filemap_get_folio / shmem_get_folio under the i_pages lock (the allocator's locks nest inside it).</summary>
    private PageRef? Lookup(long pgoff, bool create, ulong? faultAddress)
    {
        var head = pgoff & ~(long)(FolioPages - 1);
        using (_pagesLock.Lock())
        {
            if (!_pageCache.TryGetValue(head, out var folio))
            {
                if (!create)
                    return null;
                folio = Allocate(head, faultAddress);
                _pageCache[head] = folio;
            }

            return new PageRef(folio, (int)(pgoff - head));
        }
    }

    private Folio Allocate(long head, ulong? faultAddress)
    {
        Folio folio;
        if (IsHugetlb)
        {
            folio = _machine.Memory.AllocateHugetlb(HugetlbOrder, useReservation: false, head)
                    ?? throw new BusErrorException(faultAddress ?? 0, "SIGBUS: hugetlb pool exhausted for a hugetlbfs page");
            folio.Kind = FolioKind.File;
        }
        else
        {
            folio = _machine.Memory.Allocate(0, FolioKind.File, head);
        }

        folio.File = this;
        folio.SetRefCount(1); // the page cache's reference
        return folio;
    }
}
