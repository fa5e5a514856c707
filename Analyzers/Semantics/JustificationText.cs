using System;
using System.Globalization;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Judges the text of a [WrongSideCowOk] justification, after StyleCop SA1404 (null, empty, whitespace and the
/// "&lt;Pending&gt;" placeholder are no justification) extended with a configurable placeholder list, whole-word
/// markers such as TODO anywhere in the text, and a minimum length.
/// </summary>
internal static class JustificationText
{
    private static readonly char[] FinalPunctuation = { '.', '!', ':', ';', ',' };

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

        var withoutFinalPunctuation = trimmed.TrimEnd(FinalPunctuation);
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

    /// <summary>Whole-word, case-insensitive: "TODO" matches "TODO: explain" but not "TODOS" or "mastodon". A word
    /// character is a letter, a number or '_' (the regex class [\p{L}\p{N}_], one UTF-16 unit at a time as .NET's
    /// regex reads it); the case comparison is ordinal-ignore-case. A scan instead of a regex: this runs for every
    /// justification and every marker, and an interpreted regex with look-arounds cost most of CG0002's time.</summary>
    internal static bool ContainsWord(string text, string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase);
             at >= 0;
             at = at + 1 < text.Length ? text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase) : -1)
        {
            var end = at + word.Length;
            if ((at == 0 || !IsWordCharacter(text[at - 1])) && (end == text.Length || !IsWordCharacter(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordCharacter(char c) => c == '_' || char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or
        UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };
}
