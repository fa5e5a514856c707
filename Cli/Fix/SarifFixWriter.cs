using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CowGuard.Analyzers;
using Microsoft.CodeAnalysis;

namespace CowGuard.Cli.Fix;

/// <summary>
/// Writes the diagnostics and their fixes as a SARIF 2.1.0 log: one result per diagnostic, and for each fixed one a
/// <c>fixes</c> entry whose <c>artifactChanges</c>/<c>replacements</c> are the Fix All edits that fix it. Regions
/// carry both line/column (1-based, UTF-16 columns) and charOffset/charLength in the original file; the distinct
/// replacements of all results, applied together, give exactly the text the unified diff gives. Paths are relative
/// to %SRCROOT%, the folder the command ran in.
/// </summary>
internal static class SarifFixWriter
{
    public const string SourceRoot = "SRCROOT";

    public static string Write(FixReport report, string baseDirectory)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var files = report.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var rules = report.Results.Select(r => r.Diagnostic.Descriptor).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, rules);
            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject(SourceRoot);
            json.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(baseDirectory) + Path.DirectorySeparatorChar).AbsoluteUri);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteStartArray("results");
            foreach (var result in report.Results)
            {
                WriteResult(json, result, rules.FindIndex(d => d.Id == result.Diagnostic.Id), files, baseDirectory);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The path relative to the base folder with forward slashes, as the diff names it.</summary>
    public static string RelativePath(string path, string baseDirectory) =>
        Path.GetRelativePath(baseDirectory, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The same path as a relative URI reference (each segment escaped), as SARIF names artifacts.</summary>
    public static string RelativeUri(string path, string baseDirectory) =>
        string.Join('/', RelativePath(path, baseDirectory).Split('/').Select(Uri.EscapeDataString));

    private static void WriteTool(Utf8JsonWriter json, IReadOnlyList<DiagnosticDescriptor> rules)
    {
        var assembly = typeof(SarifFixWriter).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString() ?? "0";
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "CowGuard");
        json.WriteString("semanticVersion", version);
        json.WriteString("informationUri", RuleIdentifiers.RulesIndexUri);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Title.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteString("helpUri", rule.HelpLinkUri);
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, FixResult result, int ruleIndex, Dictionary<string, FileFix> files, string baseDirectory)
    {
        var uri = RelativeUri(result.Path, baseDirectory);
        var span = result.Span;
        json.WriteStartObject();
        json.WriteString("ruleId", result.Diagnostic.Id);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(result.Diagnostic.Severity));
        json.WriteStartObject("message");
        json.WriteString("text", result.Diagnostic.GetMessage(CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        WriteArtifact(json, uri);
        json.WriteStartObject("region");
        json.WriteNumber("startLine", span.StartLinePosition.Line + 1);
        json.WriteNumber("startColumn", span.StartLinePosition.Character + 1);
        json.WriteNumber("endLine", span.EndLinePosition.Line + 1);
        json.WriteNumber("endColumn", span.EndLinePosition.Character + 1);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();

        if (result.Edits.Count > 0 && files.TryGetValue(result.Path, out var file))
        {
            var lines = LineDiff.Split(file.Original);
            json.WriteStartArray("fixes");
            json.WriteStartObject();
            json.WriteStartObject("description");
            json.WriteString("text", result.FixTitle);
            json.WriteEndObject();
            json.WriteStartArray("artifactChanges");
            json.WriteStartObject();
            WriteArtifact(json, uri);
            json.WriteStartArray("replacements");
            foreach (var edit in result.Edits)
            {
                WriteReplacement(json, edit, lines);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Whole old lines replaced by new ones. The region ends at the start of the line after the run; after a final
    /// line break that is the (empty) line past the last one, as editors show it.
    /// </summary>
    private static void WriteReplacement(Utf8JsonWriter json, LineEdit edit, IReadOnlyList<string> lines)
    {
        var endLine = edit.OldStart + edit.OldCount;
        var (lastLine, lastColumn) = endLine < lines.Count || lines.Count == 0 || lines[^1].EndsWith('\n')
            ? (endLine + 1, 1)
            : (lines.Count, lines[^1].Length + 1);
        json.WriteStartObject();
        json.WriteStartObject("deletedRegion");
        json.WriteNumber("startLine", edit.OldStart + 1);
        json.WriteNumber("startColumn", 1);
        json.WriteNumber("endLine", lastLine);
        json.WriteNumber("endColumn", lastColumn);
        json.WriteNumber("charOffset", edit.OldOffset);
        json.WriteNumber("charLength", edit.OldLength);
        json.WriteEndObject();
        json.WriteStartObject("insertedContent");
        json.WriteString("text", edit.NewText);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteArtifact(Utf8JsonWriter json, string uri)
    {
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", uri);
        json.WriteString("uriBaseId", SourceRoot);
        json.WriteEndObject();
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };
}
