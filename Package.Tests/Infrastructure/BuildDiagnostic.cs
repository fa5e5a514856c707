using System.Text.RegularExpressions;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>One compiler diagnostic as MSBuild prints it: <c>File.cs(12,34): warning CG0001: message [project]</c>.</summary>
internal sealed partial record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
{
    public static IReadOnlyList<BuildDiagnostic> ParseAll(string buildOutput) =>
        DiagnosticLine().Matches(buildOutput)
            .Select(m => new BuildDiagnostic(
                Path.GetFileName(m.Groups["file"].Value.Trim()),
                int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["severity"].Value,
                m.Groups["id"].Value,
                m.Groups["message"].Value.Trim()))
            .Distinct() // MSBuild repeats every diagnostic in its closing summary.
            .ToList();

    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(]*?)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error|info) (?<id>CG\d{4}): (?<message>.*?)(?: \[[^\]]*\])?$", RegexOptions.Multiline)]
    private static partial Regex DiagnosticLine();
}
