using System;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Judges the text of a [WrongSideCowOk] justification, after StyleCop SA1404 (null, empty, whitespace and the
/// "&lt;Pending&gt;" placeholder are no justification) extended with a configurable placeholder list, whole-word
/// markers such as TODO anywhere in the text, and a minimum length.
/// </summary>
internal static class JustificationText
{
    /// <summary>Why <paramref name="justification"/> is not a justification, or null when it is one.</summary>
    public static string? FindProblem(string? justification, CowGuardOptions options)
    {
        if (justification is null)
        {
            return "is null";
        }

        var trimmed = justification.Trim();
        if (trimmed.Length == 0)
        {
            return justification.Length == 0 ? "is empty" : "is only whitespace";
        }

        var withoutFinalPunctuation = trimmed.TrimEnd('.', '!', ':', ';', ',');
        foreach (var placeholder in options.Placeholders)
        {
            if (string.Equals(withoutFinalPunctuation, placeholder, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(trimmed, placeholder, StringComparison.OrdinalIgnoreCase))
            {
                return $"is the placeholder '{placeholder}'";
            }
        }

        foreach (var marker in options.Markers)
        {
            if (ContainsWord(trimmed, marker))
            {
                return $"contains the marker '{marker}'";
            }
        }

        return trimmed.Length < options.MinimumLength
            ? $"is shorter than {options.MinimumLength} characters"
            : null;
    }

    /// <summary>One matcher per distinct marker for the analyzer's lifetime: the static Regex.IsMatch would build the
    /// pattern string and look it up in the regex cache on every call (markers are few: the defaults and what
    /// .editorconfig lists).</summary>
    private static readonly ConcurrentDictionary<string, Regex> WholeWords = new(StringComparer.Ordinal);

    private static readonly Func<string, Regex> CreateWholeWord = word => new Regex(
        @"(?<![\p{L}\p{N}_])" + Regex.Escape(word) + @"(?![\p{L}\p{N}_])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        TimeSpan.FromMilliseconds(100));

    /// <summary>Whole-word, case-insensitive: "TODO" matches "TODO: explain" but not "TODOS" or "mastodon".</summary>
    private static bool ContainsWord(string text, string word) => WholeWords.GetOrAdd(word, CreateWholeWord).IsMatch(text);
}
