namespace CowGuard.Benchmarks.Corpus;

/// <summary>
/// Templates of ordinary code (loops, strings, LINQ with lambdas, dictionaries, switch expressions, local functions,
/// patterns, async): the bulk of every corpus. Constants vary with the generator's seed so no two methods are equal.
/// </summary>
internal static class OrdinaryMethods
{
    public const int TemplateCount = 8;

    public static void Write(SourceWriter w, int template, int id, int a, int b)
    {
        switch (template)
        {
            case 0: Loop(w, id, a, b); break;
            case 1: Strings(w, id, a); break;
            case 2: Linq(w, id, a, b); break;
            case 3: Dictionary(w, id, a); break;
            case 4: Switch(w, id, a, b); break;
            case 5: LocalFunction(w, id, a); break;
            case 6: Patterns(w, id, a, b); break;
            case 7: Async(w, id, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(template), template, "no such ordinary template");
        }
    }

    private static void Loop(SourceWriter w, int id, int a, int b)
    {
        w.Open($"public static int Sum{id}(int[] values)");
        w.Line("var total = 0;");
        w.Open("for (var k = 0; k < values.Length; k++)");
        w.Open($"if (values[k] % {a} == 0)");
        w.Line($"total += values[k] * {b};");
        w.Close();
        w.Open("else");
        w.Line("total -= values[k] >> 1;");
        w.Close();
        w.Close();
        w.Line("return total;");
        w.Close();
    }

    private static void Strings(SourceWriter w, int id, int a)
    {
        w.Open($"public static string Describe{id}(IReadOnlyList<string> names)");
        w.Line("var builder = new System.Text.StringBuilder();");
        w.Open("foreach (var name in names)");
        w.Line($"builder.Append(name.ToUpperInvariant()).Append(':').Append(name.Length + {a}).Append(';');");
        w.Close();
        w.Line("return builder.ToString();");
        w.Close();
    }

    private static void Linq(SourceWriter w, int id, int a, int b)
    {
        w.Open($"public static IReadOnlyList<int> Select{id}(IEnumerable<int> source)");
        w.Line("return source");
        w.Line($"    .Where(v => v % {a} != 0)");
        w.Line($"    .Select(v => v * {b})");
        w.Line("    .OrderBy(v => v)");
        w.Line("    .ToList();");
        w.Close();
    }

    private static void Dictionary(SourceWriter w, int id, int a)
    {
        w.Open($"public static Dictionary<string, int> Count{id}(IEnumerable<Item> items)");
        w.Line("var counts = new Dictionary<string, int>();");
        w.Open("foreach (var item in items)");
        w.Line($"var key = item.Name.Length > {a} ? item.Name[..{a}] : item.Name;");
        w.Line("counts[key] = counts.TryGetValue(key, out var seen) ? seen + 1 : 1;");
        w.Close();
        w.Line("return counts;");
        w.Close();
    }

    private static void Switch(SourceWriter w, int id, int a, int b)
    {
        w.Line($"public static double Weigh{id}(Item item) => item.Kind switch");
        w.Line("{");
        w.Line($"    Kind.Small => item.Weight * {a},");
        w.Line($"    Kind.Medium => item.Weight + {b},");
        w.Line("    Kind.Large => Math.Sqrt(item.Weight),");
        w.Line("    _ => item.Weight,");
        w.Line("};");
    }

    private static void LocalFunction(SourceWriter w, int id, int a)
    {
        w.Open($"public static long Fold{id}(int depth)");
        w.Line("return Step(depth, 1);");
        w.Line();
        w.Open("static long Step(int remaining, long acc)");
        w.Line($"return remaining <= 0 ? acc : Step(remaining - 1, (acc * {a}) % 1_000_003);");
        w.Close();
        w.Close();
    }

    private static void Patterns(SourceWriter w, int id, int a, int b)
    {
        w.Open($"public static string Classify{id}(object? value)");
        w.Line("return value switch");
        w.Line("{");
        w.Line($"    int n when n > {a} => \"large\",");
        w.Line("    int n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),");
        w.Line($"    string {{ Length: > {b} }} s => s[..{b}],");
        w.Line($"    Item {{ Kind: Kind.Huge }} item => item.Name,");
        w.Line("    null => \"none\",");
        w.Line("    _ => value.GetType().Name,");
        w.Line("};");
        w.Close();
    }

    private static void Async(SourceWriter w, int id, int a)
    {
        w.Open($"public static async Task<int> Heavy{id}Async(IEnumerable<Item> items)");
        w.Line("await Task.Yield();");
        w.Line("var count = 0;");
        w.Open("foreach (var item in items)");
        w.Open($"if (item is {{ Weight: > {a} }} heavy && heavy.Name.Length > 0)");
        w.Line("count++;");
        w.Close();
        w.Close();
        w.Line("return count;");
        w.Close();
    }
}
