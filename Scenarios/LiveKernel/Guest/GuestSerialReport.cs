using System.Globalization;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel.Guest;

/// <summary>
/// Reads what /init (kernel/init.sh) wrote to the second serial port: framed lines and length-prefixed output, so a
/// program may print anything, markers included. A report cut short (QEMU killed, kernel panic) yields what arrived.
/// </summary>
internal sealed class GuestSerialReport
{
    private const string Marker = "@@cg:";
    private readonly byte[] _data;
    private int _position;

    private GuestSerialReport(byte[] data) => _data = data;

    public double? ReadySeconds { get; private set; }

    public double? DoneSeconds { get; private set; }

    public int? HugePages2M { get; private set; }

    public long? SwapKiB { get; private set; }

    /// <summary>Index of the program that started last (its result may be missing).</summary>
    public int? LastStarted { get; private set; }

    public Dictionary<int, (string Stdout, string Stderr, int Status, double Seconds)> Finished { get; } = [];

    /// <summary>Parses the bytes the host's QEMU wrote for the second serial port.</summary>
    public static GuestSerialReport Parse(byte[] data)
    {
        var report = new GuestSerialReport(data);
        report.ParseAll();
        return report;
    }

    private void ParseAll()
    {
        var started = new Dictionary<int, double>();
        string? stdout = null;
        string? stderr = null;
        while (ReadLine() is { } line)
        {
            if (!line.StartsWith(Marker, StringComparison.Ordinal))
                continue; // stray bytes (none expected) are skipped
            var fields = line[Marker.Length..].Split(':');
            switch (fields[0])
            {
                case "ready" when fields.Length == 4:
                    ReadySeconds = Seconds(fields[1]);
                    HugePages2M = int.Parse(fields[2], CultureInfo.InvariantCulture);
                    SwapKiB = long.TryParse(fields[3], CultureInfo.InvariantCulture, out var swap) ? swap : null;
                    break;
                case "run" when fields.Length == 3:
                    LastStarted = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    started[LastStarted.Value] = Seconds(fields[2]);
                    stdout = stderr = null;
                    break;
                case "stdout" when fields.Length == 3:
                    stdout = ReadBytes(int.Parse(fields[2], CultureInfo.InvariantCulture));
                    break;
                case "stderr" when fields.Length == 3:
                    stderr = ReadBytes(int.Parse(fields[2], CultureInfo.InvariantCulture));
                    break;
                case "exit" when fields.Length == 4 && stdout is not null && stderr is not null:
                    var index = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    var end = Seconds(fields[3]);
                    Finished[index] = (stdout, stderr, int.Parse(fields[2], CultureInfo.InvariantCulture),
                        end - started.GetValueOrDefault(index, end));
                    break;
                case "done" when fields.Length == 2:
                    DoneSeconds = Seconds(fields[1]);
                    break;
                default:
                    break; // a frame cut short by the end of the data
            }
        }
    }

    private static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private string? ReadLine()
    {
        if (_position >= _data.Length)
            return null;
        var end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
            end = _data.Length;
        var line = Encoding.UTF8.GetString(_data, _position, end - _position);
        _position = Math.Min(_data.Length, end + 1);
        return line;
    }

    private string ReadBytes(int count)
    {
        var available = Math.Min(count, _data.Length - _position);
        var text = Encoding.UTF8.GetString(_data, _position, available);
        _position += available;
        return text;
    }
}
