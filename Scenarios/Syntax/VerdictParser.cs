using CowGuard.Scenarios.Ast;

namespace CowGuard.Scenarios.Syntax;

/// <summary><c>verdict [PATTERN:] M=pass F=pass R=FAIL X=pass</c>; verdict words are case-insensitive (pass, fail, xfail).</summary>
internal static class VerdictParser
{
    private static readonly Dictionary<string, Verdict> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pass"] = Verdict.Pass,
        ["fail"] = Verdict.Fail,
        ["xfail"] = Verdict.XFail,
    };

    public static VerdictRule Parse(TokenCursor cursor, SourceLocation location)
    {
        var pattern = ReadPattern(cursor);
        var verdicts = new Dictionary<EraCode, Verdict>();
        while (!cursor.AtEnd)
        {
            var eraToken = cursor.Expect(TokenKind.Identifier, "an era (M, F, R or X)");
            if (!Enum.TryParse<EraCode>(eraToken.Text, ignoreCase: false, out var era) || eraToken.Text.Length != 1)
            {
                throw new ScenarioSyntaxException(eraToken.Location, $"expected an era (M, F, R or X), found '{eraToken.Text}'");
            }

            if (verdicts.ContainsKey(era))
            {
                throw new ScenarioSyntaxException(eraToken.Location, $"era {era} is given twice in this verdict");
            }

            cursor.Expect(TokenKind.Equals, $"'=' after era {era}");
            var word = cursor.Expect(TokenKind.Identifier, $"a verdict for era {era} (pass, FAIL or XFAIL)");
            if (!Words.TryGetValue(word.Text, out var verdict))
            {
                throw new ScenarioSyntaxException(word.Location, $"expected a verdict for era {era} (pass, FAIL or XFAIL), found '{word.Text}'");
            }

            verdicts[era] = verdict;
        }

        if (verdicts.Count == 0)
        {
            throw new ScenarioSyntaxException(cursor.Peek().Location, "expected at least one ERA=VERDICT pair, e.g. 'M=FAIL F=pass R=pass X=pass'");
        }

        if (pattern is null && verdicts.Count != 4)
        {
            var missing = Enum.GetValues<EraCode>().Where(e => !verdicts.ContainsKey(e));
            throw new ScenarioSyntaxException(location, $"the default verdict must give all four eras; missing {string.Join(", ", missing)}");
        }

        return new VerdictRule(pattern, verdicts, location);
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
