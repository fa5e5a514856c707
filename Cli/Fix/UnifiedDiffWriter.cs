using System.Text;

namespace CowGuard.Cli.Fix;

/// <summary>
/// Writes the fixes as a git-style unified diff (three lines of context, paths relative to a base folder with the
/// a/ and b/ prefixes), which <c>git apply</c>, <c>patch -p1</c> and review bots (reviewdog's diff input) take.
/// Lines keep their own line breaks, so a CRLF file stays CRLF; a last line without one gets git's marker.
/// </summary>
internal static class UnifiedDiffWriter
{
    private const int ContextLines = 3;

    public static string Write(IReadOnlyList<FileFix> files, string baseDirectory)
    {
        var diff = new StringBuilder();
        foreach (var file in files)
        {
            var name = SarifFixWriter.RelativePath(file.Path, baseDirectory);
            diff.Append("diff --git a/").Append(name).Append(" b/").Append(name).Append('\n');
            diff.Append("--- a/").Append(name).Append('\n');
            diff.Append("+++ b/").Append(name).Append('\n');
            var oldLines = LineDiff.Split(file.Original);
            var newLines = LineDiff.Split(file.Fixed);
            foreach (var hunk in Hunks(file.Edits))
            {
                WriteHunk(diff, hunk, oldLines, newLines);
            }
        }

        return diff.ToString();
    }

    /// <summary>Edits whose context would overlap share one hunk, as in git's output.</summary>
    private static IEnumerable<List<LineEdit>> Hunks(IReadOnlyList<LineEdit> edits)
    {
        var hunk = new List<LineEdit>();
        foreach (var edit in edits)
        {
            if (hunk.Count > 0 && edit.OldStart - (hunk[^1].OldStart + hunk[^1].OldCount) > 2 * ContextLines)
            {
                yield return hunk;
                hunk = [];
            }

            hunk.Add(edit);
        }

        if (hunk.Count > 0)
        {
            yield return hunk;
        }
    }

    private static void WriteHunk(StringBuilder diff, List<LineEdit> hunk, IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        var first = hunk[0];
        var last = hunk[^1];
        var oldFrom = Math.Max(0, first.OldStart - ContextLines);
        var oldTo = Math.Min(oldLines.Count, last.OldStart + last.OldCount + ContextLines);
        // Unchanged lines before the hunk's first edit are shifted by all earlier edits, which is first.NewStart - first.OldStart.
        var newFrom = oldFrom + (first.NewStart - first.OldStart);
        var newTo = oldTo + (last.NewStart + last.NewCount) - (last.OldStart + last.OldCount);
        diff.Append("@@ -").Append(Range(oldFrom, oldTo - oldFrom)).Append(" +").Append(Range(newFrom, newTo - newFrom)).Append(" @@\n");

        var position = oldFrom;
        foreach (var edit in hunk)
        {
            for (; position < edit.OldStart; position++)
            {
                Line(diff, ' ', oldLines[position]);
            }

            for (var i = edit.OldStart; i < edit.OldStart + edit.OldCount; i++)
            {
                Line(diff, '-', oldLines[i]);
            }

            for (var i = edit.NewStart; i < edit.NewStart + edit.NewCount; i++)
            {
                Line(diff, '+', newLines[i]);
            }

            position = edit.OldStart + edit.OldCount;
        }

        for (; position < oldTo; position++)
        {
            Line(diff, ' ', oldLines[position]);
        }
    }

    /// <summary>A hunk range: 1-based first line and count; an empty range names the line it follows.</summary>
    private static string Range(int start, int count) => count switch
    {
        0 => $"{start},0",
        1 => $"{start + 1}",
        _ => $"{start + 1},{count}",
    };

    private static void Line(StringBuilder diff, char prefix, string line)
    {
        diff.Append(prefix).Append(line);
        if (!line.EndsWith('\n'))
        {
            diff.Append("\n\\ No newline at end of file\n");
        }
    }
}
