using System.Text.RegularExpressions;
using CowGuard.Analyzers.Semantics;
using CsCheck;
using Xunit;

namespace CowGuard.Analyzers.Tests;

/// <summary>
/// CG0002, continued: the whole-word marker test is a hand-written scan (a regex with look-arounds was most of the
/// rule's cost); it must agree with the regex that states the rule, <c>(?&lt;![\p{L}\p{N}_])marker(?![\p{L}\p{N}_])</c>,
/// case-insensitively, on texts built from the characters that decide a match.
/// </summary>
public sealed partial class CG0002Tests
{
    private static readonly Gen<string> MarkerText = Gen.OneOf(
            "todo", "TODO", "ToDo", "x", "_", "9", "٣", "Ⅻ", "é", " ", ":", "-", "<Pending>", "<pending>", "fixme", "XXX", "xx", "TBD.")
        .Array[0, 8]
        .Select(parts => string.Concat(parts));

    [Fact]
    public void Markers_match_whole_words_exactly_as_the_regex_states() =>
        Gen.Select(MarkerText, Gen.OneOf("TODO", "<Pending>", "XXX", "TBD", "x", "FIXME")).Sample(
            (text, marker) => JustificationText.ContainsWord(text, marker) == Regex.IsMatch(
                text,
                @"(?<![\p{L}\p{N}_])" + Regex.Escape(marker) + @"(?![\p{L}\p{N}_])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
            iter: 20_000);

    [Theory]
    [InlineData("TODO: explain", "TODO", true)]
    [InlineData("see todo", "TODO", true)]
    [InlineData("TODOS are listed", "TODO", false)]
    [InlineData("mastodon", "TODO", false)]
    [InlineData("_TODO", "TODO", false)]
    [InlineData("TODO9", "TODO", false)]
    [InlineData("xTODO TODO", "TODO", true)]
    [InlineData("wait <Pending>.", "<Pending>", true)]
    [InlineData("a<Pending>", "<Pending>", false)]
    public void Marker_examples(string text, string marker, bool expected) =>
        Assert.Equal(expected, JustificationText.ContainsWord(text, marker));
}
