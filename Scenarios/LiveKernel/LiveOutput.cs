using System.Globalization;
using CowGuard.Scenarios.Interpretation;
using CowGuard.Scenarios.LiveKernel.Translation;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>Reads the "CG ..." lines a generated program prints (protocol in cowguard_live.h) into a result.</summary>
internal static class LiveOutput
{
    /// <summary>A finished program's streams: stdout's lines, and anything on stderr as one "CG STDERR" line after them.</summary>
    public static LiveKernelResult Parse(ScenarioInstance instance, CProgram program, int exitCode, string stdout, string stderr)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (stderr.Trim() is { Length: > 0 } errors)
        {
            lines.Add("CG STDERR " + errors.ReplaceLineEndings(" "));
        }

        return Parse(instance, program, exitCode, lines);
    }

    public static LiveKernelResult Parse(ScenarioInstance instance, CProgram program, int exitCode, IReadOnlyList<string> lines)
    {
        var checks = new List<LiveCheck>();
        foreach (var line in lines)
        {
            if (line.StartsWith("CG SKIP ", StringComparison.Ordinal))
            {
                return LiveKernelResult.Skip(instance, line["CG SKIP ".Length..]);
            }

            if (line.StartsWith("CG ERROR ", StringComparison.Ordinal))
            {
                var rest = line["CG ERROR ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                return LiveKernelResult.Fault(instance, $"{Path.GetFileName(instance.File)}:{rest[..space]}: {rest[(space + 1)..]}");
            }

            if (line.StartsWith("CG CHECK ", StringComparison.Ordinal))
            {
                checks.Add(Check(program, line));
            }
        }

        if (exitCode != 0 || !lines.Contains("CG DONE"))
        {
            return LiveKernelResult.Fault(instance, $"the program exited with {exitCode} without finishing: {string.Join(" / ", lines.TakeLast(3))}");
        }

        if (checks.Count != program.Checks.Count)
        {
            return LiveKernelResult.Fault(instance, $"the program printed {checks.Count} checks, expected {program.Checks.Count}");
        }

        return new LiveKernelResult(instance, LiveOutcome.Ran, checks, program.UnobservableChecks, null);
    }

    /// <summary>"CG CHECK 3 PASS bytes:4096:u:255 | num:255": the number is the check's <see cref="Bound.BoundExpect.Index"/>.</summary>
    private static LiveCheck Check(CProgram program, string line)
    {
        var parts = line.Split(' ');
        var index = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var check = program.Checks.Single(c => c.Index == index);
        var bar = Array.IndexOf(parts, "|");
        var not = check.Comparison == Comparison.NotEqual ? "not " : string.Empty;
        return new LiveCheck(check, parts[3] == "PASS", Value(parts[4]), not + Value(parts[bar + 1]));
    }

    /// <summary>Values printed the way the model runner prints them: numbers as <see cref="NumberValue.Format"/>, uniform bytes as 0xNN×COUNT.</summary>
    private static string Value(string encoded)
    {
        var fields = encoded.Split(':');
        return fields[0] switch
        {
            "num" => NumberValue.Format(ulong.Parse(fields[1], CultureInfo.InvariantCulture)),
            "text" => $"\"{fields[1]}\"",
            "bytes" when fields[2] == "u" => $"0x{int.Parse(fields[3], CultureInfo.InvariantCulture):x2}×{fields[1]}",
            "bytes" => $"mixed bytes ({fields[1]} bytes, digest {fields[3]})",
            _ => encoded,
        };
    }
}
