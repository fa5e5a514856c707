using System.Globalization;
using System.Text.Json;

namespace CowGuard.Cli.Audit;

/// <summary>
/// Reads CG0100 audit records from a SARIF 2.1 log written by the compiler (ErrorLog). The analyzer puts the data in
/// the diagnostic's properties, which the compiler writes as <c>properties.customProperties</c>.
/// </summary>
internal static class SarifAuditReader
{
    private const string AuditRuleId = "CG0100";

    public static IReadOnlyList<AuditRecord> Read(string sarifPath, string baseDirectory)
    {
        using var document = ParseLog(sarifPath);
        var records = new List<AuditRecord>();
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("ruleId", out var ruleId) && ruleId.GetString() == AuditRuleId)
                {
                    records.Add(ToRecord(result, baseDirectory));
                }
            }
        }

        // A file compiled for several target frameworks is reported once per compilation.
        return records.Distinct(RecordComparer.Instance)
            .OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line)
            .ToList();
    }

    private static JsonDocument ParseLog(string sarifPath)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(sarifPath));
        }
        catch (JsonException e)
        {
            throw new AuditException($"{sarifPath}: not a SARIF log ({e.Message})");
        }
    }

    private static AuditRecord ToRecord(JsonElement result, string baseDirectory)
    {
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? string.Empty;
        var line = location.GetProperty("region").GetProperty("startLine").GetInt32();
        var custom = result.GetProperty("properties").GetProperty("customProperties");
        return new AuditRecord(
            RelativePath(uri, baseDirectory),
            line,
            custom.GetProperty("Scope").GetString() ?? string.Empty,
            custom.GetProperty("Justification").GetString() ?? string.Empty,
            ParseCovers(custom.TryGetProperty("Covers", out var covers) ? covers.GetString() : null));
    }

    /// <summary>The analyzer's encoding: one <c>line:column:Method</c> per line.</summary>
    private static List<CoveredCall> ParseCovers(string? text) =>
        (text ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => new CoveredCall(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                int.Parse(parts[1], CultureInfo.InvariantCulture),
                parts[2]))
            .ToList();

    private static string RelativePath(string uri, string baseDirectory)
    {
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : uri;
        var relative = Path.GetRelativePath(baseDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }

    private sealed class RecordComparer : IEqualityComparer<AuditRecord>
    {
        public static readonly RecordComparer Instance = new();

        public bool Equals(AuditRecord? x, AuditRecord? y) =>
            x is not null && y is not null && x.File == y.File && x.Line == y.Line;

        public int GetHashCode(AuditRecord obj) => HashCode.Combine(obj.File, obj.Line);
    }
}
