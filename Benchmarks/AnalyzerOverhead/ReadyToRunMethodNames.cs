using System.Globalization;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// The method names of a ReadyToRun image, from the map crossgen2 writes beside it (<c>--perfmap</c>; the analyzer
/// project's CowGuardReadyToRun target asks for it): one line "RVA LENGTH Type::Method(…)" per precompiled method.
/// perf prints a frame of precompiled code as its offset in the image file, so a lookup turns that offset into an RVA
/// through the image's section table and finds the method whose code holds it.
/// </summary>
internal sealed partial class ReadyToRunMethodNames
{
    private readonly (int FileOffset, int Size, int Rva)[] _sections;
    private readonly (int Rva, int Length, string Type, string Method)[] _methods;

    private ReadyToRunMethodNames((int, int, int)[] sections, (int, int, string, string)[] methods)
    {
        _sections = sections;
        _methods = methods;
    }

    /// <summary>The names of <paramref name="imagePath"/>, or null when no map was written beside it (an image built
    /// without <c>--perfmap</c>, such as the one inside an installed package).</summary>
    public static ReadyToRunMethodNames? Load(string imagePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        var image = File.ReadAllBytes(imagePath);
        var map = Directory.EnumerateFiles(directory, Path.GetFileNameWithoutExtension(imagePath) + ".ni.*.map")
            .FirstOrDefault(candidate => Describes(candidate, image));
        if (map is null)
        {
            return null;
        }

        using var reader = new PEReader(new MemoryStream(image));
        var sections = reader.PEHeaders.SectionHeaders
            .Select(s => (s.PointerToRawData, s.SizeOfRawData, s.VirtualAddress))
            .ToArray();
        var methods = new List<(int, int, string, string)>();
        foreach (var line in File.ReadLines(map))
        {
            // Header lines (image signature, format version) carry RVAs FFFFFFFx.
            if (MapLine().Match(line) is { Success: true } entry && !entry.Groups["rva"].Value.StartsWith("FFFFFF", StringComparison.Ordinal))
            {
                var name = MethodName().Match(entry.Groups["name"].Value);
                methods.Add((
                    int.Parse(entry.Groups["rva"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    int.Parse(entry.Groups["length"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    name.Success ? name.Groups["type"].Value : entry.Groups["name"].Value,
                    name.Success ? name.Groups["type"].Value + "." + name.Groups["method"].Value : entry.Groups["name"].Value));
            }
        }

        methods.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new ReadyToRunMethodNames(sections, [.. methods]);
    }

    /// <summary>Whether <paramref name="map"/> was written for <paramref name="image"/>: its first line carries the
    /// signature crossgen2 also records in the image (a map of an earlier build of the same file carries another).</summary>
    private static bool Describes(string map, byte[] image)
    {
        var first = File.ReadLines(map).FirstOrDefault();
        if (first is null || MapLine().Match(first) is not { Success: true } header || header.Groups["rva"].Value != "FFFFFFFF")
        {
            return false;
        }

        var signature = Convert.FromHexString(header.Groups["name"].Value.Trim());
        return signature.Length > 0 && image.AsSpan().IndexOf(signature) >= 0;
    }

    /// <summary>The type (the rule, for a rule's code) and "Type.Method" of the code at <paramref name="fileOffset"/>;
    /// null when no precompiled method holds it (stubs, data).</summary>
    public (string Type, string Method)? Lookup(long fileOffset)
    {
        foreach (var (start, size, rva) in _sections)
        {
            if (fileOffset >= start && fileOffset < start + size)
            {
                return At(fileOffset - start + rva);
            }
        }

        return null;
    }

    private (string Type, string Method)? At(long rva)
    {
        var low = 0;
        var high = _methods.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var (start, length, type, method) = _methods[middle];
            if (rva < start)
            {
                high = middle - 1;
            }
            else if (rva >= start + length)
            {
                low = middle + 1;
            }
            else
            {
                return (type, method);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<rva>[0-9A-F]{8}) (?<length>[0-9A-F]+) (?<name>.+)$")]
    private static partial Regex MapLine();

    /// <summary>"[return type ]CowGuard.Analyzers.Rules.CG0001…Analyzer+&lt;&gt;c__DisplayClass6_0::&lt;Register&gt;b__0(…)":
    /// the type's simple name (before any nested closure class) and the method, as for JIT-compiled frames. A return
    /// type (the map writes one for non-void methods) cannot be followed by "::", so the match moves past it.</summary>
    [GeneratedRegex(@"CowGuard\.Analyzers\.(?:\w+\.)*(?<type>\w+)(?:`\d+)?(?:\[[^\]]*\])?(?:\+[^:\s]+)?::(?<method>[^(]+)\(")]
    private static partial Regex MethodName();
}
