using System.Buffers.Binary;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>Just enough ELF to tell a static x86-64 executable (what the guest can run) from anything else.</summary>
internal static class ElfFile
{
    private const uint PtInterp = 3;

    /// <summary>Null when <paramref name="path"/> is a 64-bit x86-64 ELF executable without PT_INTERP (static or
    /// static-pie), else why it is not.</summary>
    public static string? WhyNotStatic(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return $"cannot read {path}: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot read {path}: {e.Message}";
        }

        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            return $"{path} is not an ELF file";
        if (bytes[4] != 2 || bytes[5] != 1 || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(18)) != 62)
            return $"{path} is not a 64-bit little-endian x86-64 ELF file";
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32));
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(54));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(56));
        for (var i = 0; i < phnum; i++)
        {
            var at = phoff + (ulong)(i * phentsize);
            if (at + 4 > (ulong)bytes.Length)
                return $"{path} has a truncated program header table";
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at)) == PtInterp)
                return $"{path} is dynamically linked (it has PT_INTERP); the guest has no shared libraries: link with -static";
        }

        return null;
    }
}
