using System.Text.Json;
using Xunit;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>One SARIF replacement: the deleted region in the original file (by characters) and the inserted text.</summary>
internal sealed record SarifReplacement(string Uri, int Offset, int Length, string Text);

/// <summary>Reads the <c>fixes</c> of a SARIF 2.1 log and applies them, checking that both region forms agree.</summary>
internal static class SarifFixes
{
    /// <summary>Every result of the log with its fix's replacements (empty when the result carries no fix).</summary>
    public static IReadOnlyList<(string RuleId, int Line, IReadOnlyList<SarifReplacement> Replacements)> Read(string sarifPath, Func<string, string> originalText)
    {
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        var run = sarif.RootElement.GetProperty("runs")[0];
        return run.GetProperty("results").EnumerateArray().Select(result =>
        {
            var line = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32();
            var replacements = new List<SarifReplacement>();
            if (result.TryGetProperty("fixes", out var fixes))
            {
                foreach (var change in fixes.EnumerateArray().SelectMany(f => f.GetProperty("artifactChanges").EnumerateArray()))
                {
                    var uri = change.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                    Assert.Equal("SRCROOT", change.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
                    foreach (var replacement in change.GetProperty("replacements").EnumerateArray())
                    {
                        var region = replacement.GetProperty("deletedRegion");
                        var offset = region.GetProperty("charOffset").GetInt32();
                        var length = region.GetProperty("charLength").GetInt32();
                        var text = originalText(uri);
                        Assert.Equal(offset, OffsetOf(text, region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32()));
                        Assert.Equal(offset + length, OffsetOf(text, region.GetProperty("endLine").GetInt32(), region.GetProperty("endColumn").GetInt32()));
                        replacements.Add(new SarifReplacement(uri, offset, length, replacement.GetProperty("insertedContent").GetProperty("text").GetString()!));
                    }
                }
            }

            return (result.GetProperty("ruleId").GetString()!, line, (IReadOnlyList<SarifReplacement>)replacements);
        }).ToList();
    }

    /// <summary>
    /// Applies the distinct replacements for one file (two results may carry the same edit, e.g. one attribute that
    /// covers two calls) from the end of the text backwards, so earlier offsets stay valid.
    /// </summary>
    public static string Apply(string original, IEnumerable<SarifReplacement> replacements)
    {
        var text = original;
        var distinct = replacements.Distinct().OrderByDescending(r => r.Offset).ThenByDescending(r => r.Length).ToList();
        for (var i = 1; i < distinct.Count; i++)
        {
            Assert.True(distinct[i].Offset + distinct[i].Length <= distinct[i - 1].Offset, $"replacements overlap: {distinct[i]} and {distinct[i - 1]}");
        }

        foreach (var replacement in distinct)
        {
            text = text[..replacement.Offset] + replacement.Text + text[(replacement.Offset + replacement.Length)..];
        }

        return text;
    }

    /// <summary>A 1-based line/column (UTF-16 columns, lines ended by '\n') as a character offset.</summary>
    private static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var current = 1; current < line; current++)
        {
            var newline = text.IndexOf('\n', offset);
            Assert.True(newline >= 0, $"line {line} is past the end of the text");
            offset = newline + 1;
        }

        return offset + column - 1;
    }
}
