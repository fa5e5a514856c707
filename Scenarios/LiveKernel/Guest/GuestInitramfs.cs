using System.IO.Compression;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// Writes the guest's initramfs: a gzip-compressed "newc" cpio archive (the format the kernel unpacks,
/// Documentation/driver-api/early-userspace/buffer-format.rst) holding busybox, /init and the batch's programs in /cg
/// with their list. Written here rather than with cpio(1) so the runner needs one tool fewer.
/// </summary>
internal sealed class GuestInitramfs : IDisposable
{
    private const int FolderMode = 0x4000 | 0x1ed; // S_IFDIR 0755
    private const int ExecutableMode = 0x8000 | 0x1ed; // S_IFREG 0755
    private const int RegularMode = 0x8000 | 0x1a4; // S_IFREG 0644
    private const int CharDeviceMode = 0x2000 | 0x180; // S_IFCHR 0600

    private readonly Stream _output;
    private int _inode = 1;

    private GuestInitramfs(Stream output) => _output = output;

    /// <summary>Writes the archive for <paramref name="programs"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, string busybox, IReadOnlyList<GuestProgram> programs)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var archive = new GuestInitramfs(gzip);
        foreach (var folder in new[] { "bin", "dev", "proc", "sys", "tmp", "cg" })
            archive.Add(folder, FolderMode, []);
        archive.Add("dev/console", CharDeviceMode, [], rdevMajor: 5, rdevMinor: 1); // init's stdio before devtmpfs is mounted
        archive.Add("bin/busybox", ExecutableMode, File.ReadAllBytes(busybox));
        archive.Add("init", ExecutableMode, Encoding.UTF8.GetBytes(GuestScripts.Init));
        var list = new StringBuilder();
        var files = new Dictionary<string, string>(StringComparer.Ordinal); // binary on the host → its file in /cg: programs sharing a binary share the file
        foreach (var program in programs)
        {
            var binary = Path.GetFullPath(program.Binary);
            if (!files.TryGetValue(binary, out var shared))
            {
                shared = program.Name;
                files.Add(binary, shared);
                archive.Add("cg/" + shared, ExecutableMode, File.ReadAllBytes(binary));
            }

            var seconds = Math.Max(1, (int)Math.Ceiling(program.Timeout.TotalSeconds));
            list.Append(program.Name).Append(' ').Append(seconds).Append(' ').Append(shared);
            foreach (var argument in program.Arguments)
                list.Append(' ').Append(ShellQuote(argument));
            list.Append('\n');
        }

        archive.Add("cg/list", RegularMode, Encoding.UTF8.GetBytes(list.ToString()));
        archive.Add("TRAILER!!!", 0, []);
    }

    public void Dispose() => _output.Flush();

    /// <summary>'...' with every ' written as '\'' — the list is read by /init's eval.</summary>
    private static string ShellQuote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void Add(string name, int mode, byte[] data, int rdevMajor = 0, int rdevMinor = 0)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var fields = new[]
        {
            name == "TRAILER!!!" ? 0 : _inode++, mode, 0, 0, (mode & 0x4000) != 0 ? 2 : 1, 0, data.Length, 0, 0,
            rdevMajor, rdevMinor, nameBytes.Length, 0,
        };
        var header = new StringBuilder("070701");
        foreach (var field in fields)
            header.Append(field.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        _output.Write(headerBytes);
        _output.Write(nameBytes);
        Pad(headerBytes.Length + nameBytes.Length);
        _output.Write(data);
        Pad(data.Length);
    }

    private void Pad(int length)
    {
        var padding = (4 - (length % 4)) % 4;
        for (var i = 0; i < padding; i++)
            _output.WriteByte(0);
    }
}
