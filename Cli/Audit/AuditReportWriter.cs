using System.Text;
using System.Text.Json;

namespace CowGuard.Cli.Audit;

/// <summary>Renders audit records as Markdown (a pull-request comment) or JSON (for tools).</summary>
internal static class AuditReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string Json(IReadOnlyList<AuditRecord> records) => JsonSerializer.Serialize(records, JsonOptions) + "\n";

    public static string Markdown(string project, IReadOnlyList<AuditRecord> records)
    {
        var text = new StringBuilder();
        text.Append("## CowGuard justification audit: ").Append(Path.GetFileName(project)).Append("\n\n");
        var calls = records.Sum(r => r.Covers.Count);
        text.Append(records.Count).Append(records.Count == 1 ? " `[WrongSideCowOk]`, covering " : " `[WrongSideCowOk]` attributes, covering ")
            .Append(calls).Append(calls == 1 ? " page-reference call that does not break COW.\n\n" : " page-reference calls that do not break COW.\n\n");
        if (records.Count == 0)
        {
            return text.ToString();
        }

        text.Append("| Where | Scope | Covers | Justification |\n|---|---|---|---|\n");
        foreach (var record in records)
        {
            var covers = record.Covers.Count == 0
                ? "_nothing (stale: see CG0003)_"
                : string.Join("<br>", record.Covers.Select(c => $"`{Cell(c.Method)}` line {c.Line}"));
            text.Append("| `").Append(Cell(record.File)).Append(':').Append(record.Line).Append("` | `")
                .Append(Cell(record.Scope)).Append("` | ").Append(covers).Append(" | ")
                .Append(Cell(record.Justification)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Keeps a value inside one Markdown table cell.</summary>
    private static string Cell(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
}
