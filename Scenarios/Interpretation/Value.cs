using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>What a scenario variable can hold. <see cref="Kind"/> names it in "expected a process, found a pipe" errors.</summary>
internal abstract record Value(string Kind)
{
    public abstract string Show();
}

internal sealed record NumberValue(ulong Number) : Value("a number")
{
    public override string Show() => Number < 4096 ? $"{Number}" : $"0x{Number:x}";
}

internal sealed record StringValue(string Text) : Value("a string")
{
    public override string Show() => $"\"{Text}\"";
}

internal sealed record BytesValue(ByteRuns Bytes) : Value("bytes")
{
    public override string Show() => Bytes.ToString();
}

internal sealed record ProcessValue(VmProcess Process) : Value("a process")
{
    public override string Show() => Process.Name;
}

internal sealed record FileValue(MemFile File, ulong Length) : Value("a file")
{
    public override string Show() => "file";
}

internal sealed record PipeValue(Pipe Pipe) : Value("a pipe")
{
    public override string Show() => "pipe";
}

/// <summary>A handle from one of the GUP entry points (references or pins).</summary>
internal sealed record HandleValue(PageReferenceHandle Handle) : Value("a page handle")
{
    public override string Show() => $"{Handle.Kind} of {Handle.PageCount} pages";
}

/// <summary>An io_uring registered (fixed) buffer.</summary>
internal sealed record BufferValue(IoUringFixedBuffer Buffer) : Value("a registered buffer")
{
    public override string Show() => $"fixed buffer of {Buffer.Length} bytes";
}
