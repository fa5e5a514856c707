using System.Globalization;
using CowGuard.Scenarios.Loading;

namespace CowGuard.Scenarios.LiveKernel;

/// <summary>Reads the "CG ..." lines a generated program prints (protocol in cowguard_live.h) into a result.</summary>
internal static class LiveOutput
{
    public static LiveKernelResult Parse(ScenarioInstance instance, CProgram program, int exitCode, IReadOnlyList<string> lines)
    {
        var unchecked_ = program.UnobservableChecks.Select(c => c.Label).ToList();
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

        return new LiveKernelResult(instance, LiveOutcome.Ran, checks, unchecked_, null);
    }

    /// <summary>"CG CHECK 3 PASS bytes:4096:u:255 | num:255".</summary>
    private static LiveCheck Check(CProgram program, string line)
    {
        var parts = line.Split(' ');
        var index = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var bar = Array.IndexOf(parts, "|");
        return new LiveCheck(program.Checks[index].Label, parts[3] == "PASS", Value(parts[4]), Value(parts[bar + 1]));
    }

    /// <summary>Values printed the way the model runner prints them: numbers in decimal, uniform bytes as 0xNN×COUNT.</summary>
    private static string Value(string encoded)
    {
        var fields = encoded.Split(':');
        return fields[0] switch
        {
            "num" => fields[1],
            "text" => $"\"{fields[1]}\"",
            "bytes" when fields[2] == "u" => $"0x{int.Parse(fields[3], CultureInfo.InvariantCulture):x2}×{fields[1]}",
            "bytes" => $"mixed bytes ({fields[1]} bytes, digest {fields[3]})",
            _ => encoded,
        };
    }
}
