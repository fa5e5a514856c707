namespace CowGuard.VmModel;

/// <summary>
/// What a user load or store does to one page once the access path has found it (the PTL held, the entry checked to
/// allow the access): <see cref="VmProcess"/> walks and faults, these move the bytes. Ref structs, so the walk is
/// generic over them without allocating and they can carry spans.
/// </summary>
internal interface IUserAccess
{
    /// <summary>Bytes [done, done + chunk) of the access are page <paramref name="index"/> of the folio at <paramref name="offset"/>.</summary>
    void Apply(Folio folio, int index, int offset, int done, int chunk);
}

/// <summary>A load into a span (read(2)-like copies, ReadBytes).</summary>
internal readonly ref struct LoadInto(Span<byte> destination) : IUserAccess
{
    private readonly Span<byte> _destination = destination;

    public void Apply(Folio folio, int index, int offset, int done, int chunk) =>
        folio.ReadBytes(index, offset, _destination.Slice(done, chunk));
}

/// <summary>A store from a span.</summary>
internal readonly ref struct StoreFrom(ReadOnlySpan<byte> source) : IUserAccess
{
    private readonly ReadOnlySpan<byte> _source = source;

    public void Apply(Folio folio, int index, int offset, int done, int chunk) =>
        folio.WriteBytes(index, offset, _source.Slice(done, chunk));
}

/// <summary>memset.</summary>
internal readonly ref struct FillWith(byte value) : IUserAccess
{
    public void Apply(Folio folio, int index, int offset, int done, int chunk) => folio.FillBytes(index, offset, chunk, value);
}

/// <summary>A one-byte load (a CPU's movzx): no span, no copy loop.</summary>
internal ref struct LoadByte : IUserAccess
{
    public byte Value;

    public void Apply(Folio folio, int index, int offset, int done, int chunk) => Value = folio.ReadByte(index, offset);
}

/// <summary>A one-byte store.</summary>
internal readonly ref struct StoreByte(byte value) : IUserAccess
{
    public void Apply(Folio folio, int index, int offset, int done, int chunk) => folio.WriteByte(index, offset, value);
}
