using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Lowering;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Where <c>setup</c> may stand, checked before lowering: once, at the top level; without a name when the scenario
/// runs over the backings of its 'over' line, with one backing's name when it has no 'over' line.
/// </summary>
internal static class SetupRules
{
    /// <summary>True when lowering can proceed; otherwise the problems are reported.</summary>
    public static bool Check(DocumentSyntax document, ScenarioHeaderSyntax header, bool hasBackings, DiagnosticBag diagnostics)
    {
        var setups = document.Body.OfType<CommandSyntax>().Where(SetupLowering.IsSetup).ToList();
        void Fail(SourceLocation location, string cause) => diagnostics.Report(location, DiagnosticKind.Syntax, cause);

        if (setups.Count > 1)
        {
            Fail(setups[1].Location, "'setup' may appear only once");
            return false;
        }

        if (!diagnostics.Try(() => NamedBacking(document)))
        {
            return false;
        }

        var named = setups.Count == 1 && setups[0].Arguments.Count > 0;
        if (hasBackings && named)
        {
            Fail(setups[0].Location, "this scenario runs over the backings of its 'over' line: write 'setup' without a name");
            return false;
        }

        if (hasBackings && setups.Count == 0)
        {
            Fail(header.Location, "a scenario with 'over' must call 'setup' exactly once (found 0)");
            return false;
        }

        if (!hasBackings && setups.Count == 1 && !named)
        {
            Fail(setups[0].Location, "'setup' runs the current backing, but this scenario has no 'over' line naming backings");
            return false;
        }

        return true;
    }

    /// <summary>The backing named by <c>setup NAME</c>, if the body has one; a malformed setup line is a syntax error.</summary>
    public static NameReference? NamedBacking(DocumentSyntax document)
    {
        if (document.Body.OfType<CommandSyntax>().FirstOrDefault(SetupLowering.IsSetup) is not { } setup || setup.Arguments.Count == 0)
        {
            return null;
        }

        var argument = setup.Arguments[0];
        if (argument.Name is not null || argument.Value is not NameSyntax name)
        {
            throw new ScenarioSyntaxException(argument.Value.Location, $"expected a backing name, found {argument.Value.Describe()}");
        }

        if (setup.Arguments.Count > 1)
        {
            var extra = setup.Arguments[1];
            throw new ScenarioSyntaxException(extra.Name?.Location ?? extra.Value.Location, $"unexpected argument {extra.Value.Describe()}: 'setup' takes [BACKING]");
        }

        return new NameReference(name.Name, name.Location);
    }
}
