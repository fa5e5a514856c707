using DiffPlex;

namespace CowGuard.Cli.Fix;

/// <summary>
/// One changed run of whole lines between two versions of a file: old lines [OldStart, OldStart + OldCount)
/// (0-based) become <see cref="NewText"/>, which is NewCount lines starting at new line NewStart. OldOffset/OldLength
/// are the same run in characters of the old text, line breaks included: what SARIF calls the deleted region.
/// </summary>
internal sealed record LineEdit(int OldStart, int OldCount, int NewStart, int NewCount, int OldOffset, int OldLength, string NewText)
{
    /// <summary>
    /// Whether two edits of one file concern the same code: their old line runs, taken as closed ranges of line
    /// boundaries (an insertion is the single boundary it inserts at), meet.
    /// </summary>
    public bool Touches(LineEdit other) =>
        Math.Max(OldStart, other.OldStart) <= Math.Min(OldStart + OldCount, other.OldStart + other.OldCount);
}

/// <summary>
/// Line diffs in git's sense of a line: text up to and including '\n' (a '\r' before it stays part of the line, so a
/// CRLF file diffs and patches as CRLF). DiffPlex finds the changed runs; this class only keeps the line breaks.
/// </summary>
internal static class LineDiff
{
    public static IReadOnlyList<LineEdit> Compute(string before, string after)
    {
        var oldLines = Split(before);
        var newLines = Split(after);
        var oldStarts = LineStarts(oldLines);
        var diff = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, new GitLineChunker());
        return diff.DiffBlocks
            .Select(b => new LineEdit(
                b.DeleteStartA, b.DeleteCountA, b.InsertStartB, b.InsertCountB,
                oldStarts[b.DeleteStartA], oldStarts[b.DeleteStartA + b.DeleteCountA] - oldStarts[b.DeleteStartA],
                string.Concat(newLines.Skip(b.InsertStartB).Take(b.InsertCountB))))
            .ToList();
    }

    /// <summary>The lines of a text, each with its '\n' (the last one may have none); no empty line after a final '\n'.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }

    /// <summary>Offset of each line's first character, plus one more entry: the text's length.</summary>
    public static int[] LineStarts(IReadOnlyList<string> lines)
    {
        var starts = new int[lines.Count + 1];
        for (var i = 0; i < lines.Count; i++)
        {
            starts[i + 1] = starts[i] + lines[i].Length;
        }

        return starts;
    }

    private sealed class GitLineChunker : IChunker
    {
        public IReadOnlyList<string> Chunk(string text) => Split(text);
    }
}
