using System.Globalization;
using System.Text;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>Text from a scenario placed in C source: string literals and comments that mean exactly what the file said.</summary>
internal static class CText
{
    /// <summary>
    /// A C string literal whose bytes are the UTF-8 encoding of <paramref name="text"/>: printable ASCII as itself,
    /// backslash, quote and '?' (trigraphs) escaped, every other byte as a three-digit octal escape (octal escapes
    /// stop after three digits, unlike hex ones, so a following digit cannot join them).
    /// </summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            switch (b)
            {
                case (byte)'\\':
                    literal.Append(@"\\");
                    break;
                case (byte)'"':
                    literal.Append("\\\"");
                    break;
                case (byte)'?':
                    literal.Append(@"\?");
                    break;
                case >= 0x20 and < 0x7f:
                    literal.Append((char)b);
                    break;
                default:
                    literal.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    break;
            }
        }

        return literal.Append('"').ToString();
    }

    /// <summary>A block comment holding <paramref name="text"/> on one line: no "*/" ends it early, no "/*" nests, no line break escapes it.</summary>
    public static string Comment(string text) =>
        "/* " + text.Replace("*/", "* /", StringComparison.Ordinal).Replace("/*", "/ *", StringComparison.Ordinal).ReplaceLineEndings(" ") + " */";

    /// <summary>An unsigned 64-bit C constant.</summary>
    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture) + "ULL";
}
