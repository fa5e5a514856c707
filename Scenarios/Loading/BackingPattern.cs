using System.Text.RegularExpressions;

namespace CowGuard.Scenarios.Loading;

/// <summary>Glob matching of backing ids in verdict rules: '*' stands for any run of characters, everything else is literal.</summary>
internal static class BackingPattern
{
    public static bool Matches(string pattern, string backingId) =>
        Regex.IsMatch(
            backingId,
            "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}
