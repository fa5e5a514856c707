using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>What a scenario symbol holds while the model runs; <see cref="Show"/> is how a check prints it.</summary>
internal abstract record Value
{
    public abstract string Show();
}

internal sealed record NumberValue(ulong Number) : Value
{
    /// <summary>Small numbers (counts, byte values) in decimal, addresses and sizes from a page up in hex.</summary>
    public override string Show() => Format(Number);

    public static string Format(ulong number) => number < 4096 ? $"{number}" : $"0x{number:x}";
}

internal sealed record StringValue(string Text) : Value
{
    public override string Show() => $"\"{Text}\"";
}

internal sealed record BytesValue(ByteRuns Bytes) : Value
{
    public override string Show() => Bytes.ToString();
}

internal sealed record ProcessValue(VmProcess Process) : Value
{
    public override string Show() => Process.Name;
}

internal sealed record FileValue(MemFile File, ulong Length) : Value
{
    public override string Show() => "file";
}

internal sealed record PipeValue(Pipe Pipe) : Value
{
    public override string Show() => "pipe";
}

/// <summary>A handle from one of the GUP entry points (references or pins).</summary>
internal sealed record HandleValue(PageReferenceHandle Handle) : Value
{
    public override string Show() => $"{Handle.Kind} of {Handle.PageCount} pages";
}

/// <summary>An io_uring registered (fixed) buffer.</summary>
internal sealed record BufferValue(IoUringFixedBuffer Buffer) : Value
{
    public override string Show() => $"fixed buffer of {Buffer.Length} bytes";
}
