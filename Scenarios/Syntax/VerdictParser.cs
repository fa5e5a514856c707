using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Verdicts;

namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// <c>verdict [PATTERN:] ERA=VERDICT ...</c>: an era is a name (AnonExclusive) or an alias (X), resolved by the
/// loader; verdict words are case-insensitive (pass, fail, xfail).
/// </summary>
internal static class VerdictParser
{
    private static readonly Dictionary<string, Verdict> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pass"] = Verdict.Pass,
        ["fail"] = Verdict.Fail,
        ["xfail"] = Verdict.XFail,
    };

    public static VerdictRuleSyntax Parse(TokenCursor cursor, SourceLocation location)
    {
        var pattern = ReadPattern(cursor);
        var verdicts = new List<EraVerdictSyntax>();
        while (!cursor.AtEnd)
        {
            var era = cursor.Expect(TokenKind.Identifier, $"an era ({EraNames.Spellings})");
            cursor.Expect(TokenKind.Equals, $"'=' after era {era.Text}");
            var word = cursor.Expect(TokenKind.Identifier, $"a verdict for era {era.Text} (pass, FAIL or XFAIL)");
            if (!Words.TryGetValue(word.Text, out var verdict))
            {
                throw new ScenarioSyntaxException(word.Location, $"expected a verdict for era {era.Text} (pass, FAIL or XFAIL), found '{word.Text}'");
            }

            verdicts.Add(new EraVerdictSyntax(era, verdict));
        }

        if (verdicts.Count == 0)
        {
            throw new ScenarioSyntaxException(cursor.Peek().Location, "expected at least one ERA=VERDICT pair, e.g. 'Mapcount=FAIL ForcedCowGup=pass Refcount=pass AnonExclusive=pass'");
        }

        return new VerdictRuleSyntax(pattern, verdicts, location);
    }

    /// <summary>The backing pattern is everything before a ':' on the line, e.g. <c>hugetlb*</c> or <c>thp_pte[2M]</c>.</summary>
    private static string? ReadPattern(TokenCursor cursor)
    {
        var ahead = 0;
        while (cursor.Peek(ahead).Kind is not (TokenKind.Colon or TokenKind.EndOfLine))
        {
            ahead++;
        }

        if (cursor.Peek(ahead).Kind != TokenKind.Colon)
        {
            return null;
        }

        if (ahead == 0)
        {
            throw new ScenarioSyntaxException(cursor.Peek().Location, "expected a backing pattern before ':'");
        }

        var pattern = string.Concat(Enumerable.Range(0, ahead).Select(_ => cursor.Next().Text));
        cursor.Next();
        return pattern;
    }
}
