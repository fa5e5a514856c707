using System.Globalization;
using System.Text;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>
/// Memory contents as runs of equal bytes, so a 1 GiB hugetlb page filled with 0x01 is one run rather than a GiB of
/// managed memory. Two contents are equal when their runs are. Printed as "0x01×4096" or "0x01×2048 0xff×2048".
/// </summary>
internal sealed class ByteRuns : IEquatable<ByteRuns>
{
    private readonly List<(byte Value, ulong Count)> _runs = [];

    public ulong Length { get; private set; }

    public IReadOnlyList<(byte Value, ulong Count)> Runs => _runs;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Length += (ulong)bytes.Length;
        while (!bytes.IsEmpty)
        {
            // One vectorised scan per run, not one step per byte: a 1 GiB page is read back in well under a second.
            var value = bytes[0];
            var end = bytes.IndexOfAnyExcept(value);
            var count = end < 0 ? bytes.Length : end;
            if (_runs.Count > 0 && _runs[^1].Value == value)
            {
                _runs[^1] = (value, _runs[^1].Count + (ulong)count);
            }
            else
            {
                _runs.Add((value, (ulong)count));
            }

            bytes = bytes[count..];
        }
    }

    /// <summary>Every byte equals <paramref name="value"/> (and there is at least one byte).</summary>
    public bool IsUniform(byte value) => _runs.Count == 1 && _runs[0].Value == value;

    public bool Equals(ByteRuns? other) => other is not null && Length == other.Length && _runs.SequenceEqual(other._runs);

    public override bool Equals(object? obj) => Equals(obj as ByteRuns);

    public override int GetHashCode() => HashCode.Combine(Length, _runs.Count);

    public override string ToString()
    {
        if (_runs.Count == 0)
        {
            return "(no bytes)";
        }

        const int shown = 6;
        var text = new StringBuilder();
        foreach (var (value, count) in _runs.Take(shown))
        {
            text.Append(CultureInfo.InvariantCulture, $"0x{value:x2}×{count} ");
        }

        if (_runs.Count > shown)
        {
            text.Append(CultureInfo.InvariantCulture, $"… ({_runs.Count} runs, {Length} bytes)");
        }

        return text.ToString().TrimEnd();
    }
}
