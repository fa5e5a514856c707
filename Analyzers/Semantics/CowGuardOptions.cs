using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// The .editorconfig / globalconfig options of CowGuard, read per syntax tree so [*.cs] sections apply. Lists are
/// comma-separated: a ';' would start an editorconfig comment and truncate the value.
/// </summary>
internal sealed class CowGuardOptions
{
    /// <summary>Whether [WrongSideCowOk] on a class or struct covers the calls in its members.</summary>
    public const string TypeLevelJustificationKey = "cowguard.type_level_justification";

    /// <summary>The shortest accepted justification, in characters after trimming.</summary>
    public const string MinimumLengthKey = "cowguard.CG0002.minimum_length";

    /// <summary>Texts that are not a justification when they are the whole justification (case-insensitive).</summary>
    public const string PlaceholdersKey = "cowguard.CG0002.placeholders";

    /// <summary>Markers that make a justification pending wherever they appear as a whole word (case-insensitive).</summary>
    public const string MarkersKey = "cowguard.CG0002.markers";

    public const int DefaultMinimumLength = 12;

    public static readonly ImmutableArray<string> DefaultPlaceholders = ImmutableArray.Create(
        "<Pending>", "Pending", "TODO", "TBD", "FIXME", "XXX", "N/A", "NA", "none", "safe", "ok", "fine", "by design",
        "reviewed", "intentional", "not needed", "justification", "because", "-", "?");

    public static readonly ImmutableArray<string> DefaultMarkers = ImmutableArray.Create(
        "<Pending>", "TODO", "TBD", "FIXME", "XXX");

    public static CowGuardOptions Default { get; } =
        new(typeLevelJustification: true, DefaultMinimumLength, DefaultPlaceholders, DefaultMarkers);

    private CowGuardOptions(bool typeLevelJustification, int minimumLength, ImmutableArray<string> placeholders, ImmutableArray<string> markers)
    {
        TypeLevelJustification = typeLevelJustification;
        MinimumLength = minimumLength;
        Placeholders = placeholders;
        Markers = markers;
    }

    public bool TypeLevelJustification { get; }

    public int MinimumLength { get; }

    public ImmutableArray<string> Placeholders { get; }

    public ImmutableArray<string> Markers { get; }

    /// <summary>Reads the options; a malformed value falls back to the default (an option must never crash a build).</summary>
    public static CowGuardOptions Read(AnalyzerConfigOptions options)
    {
        var typeLevel = options.TryGetValue(TypeLevelJustificationKey, out var typeLevelText) &&
            bool.TryParse(typeLevelText.Trim(), out var parsedTypeLevel)
                ? parsedTypeLevel
                : Default.TypeLevelJustification;
        var minimumLength = options.TryGetValue(MinimumLengthKey, out var lengthText) &&
            int.TryParse(lengthText.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsedLength)
                ? parsedLength
                : Default.MinimumLength;
        var placeholders = options.TryGetValue(PlaceholdersKey, out var placeholderText)
            ? SplitList(placeholderText)
            : Default.Placeholders;
        var markers = options.TryGetValue(MarkersKey, out var markerText)
            ? SplitList(markerText)
            : Default.Markers;
        return new CowGuardOptions(typeLevel, minimumLength, placeholders, markers);
    }

    private static ImmutableArray<string> SplitList(string text)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var item in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = item.Trim();
            if (trimmed.Length > 0)
            {
                builder.Add(trimmed);
            }
        }

        return builder.ToImmutable();
    }
}
