using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Lowering;

/// <summary>A statement of a lowered instance, and whether it came from the backing <c>setup</c> ran.</summary>
internal sealed record LoweredStatement(StatementSyntax Syntax, bool FromBacking);

/// <summary>The backing parameter of an instance (<c>thp</c> = 16K for <c>thp_pte[16K]</c>): a constant in scope from the start.</summary>
internal sealed record BackingParameter(string Name, ulong Value, SourceLocation Location);

/// <summary>One scenario instance as one flat list of statements: what the binder binds.</summary>
internal sealed record LoweredInstance(IReadOnlyList<LoweredStatement> Statements, BackingParameter? Parameter);

/// <summary>
/// Lowers <c>setup</c> away: the one place where a backing's statements take the place of <c>setup</c> in the
/// scenario body and its parameter becomes a constant of the instance. Everything after this (binder, interpreter,
/// C translator, hugetlb pool sizing) sees one flat statement list per instance. The loader has checked that the
/// body holds at most one <c>setup</c>, at the top level, and that it has a backing exactly when it has one.
/// </summary>
internal static class SetupLowering
{
    public static LoweredInstance Lower(IReadOnlyList<StatementSyntax> body, BackingInstance? backing)
    {
        var statements = new List<LoweredStatement>();
        foreach (var statement in body)
        {
            if (IsSetup(statement))
            {
                var definition = backing?.Definition ?? throw new InvalidOperationException("'setup' without a backing reached lowering");
                statements.AddRange(definition.Body.Select(s => new LoweredStatement(s, FromBacking: true)));
            }
            else
            {
                statements.Add(new LoweredStatement(statement, FromBacking: false));
            }
        }

        var parameter = backing is { Definition.Parameter: { } name, ParameterValue: { } value }
            ? new BackingParameter(name.Text, value.Value, name.Location)
            : null;
        return new LoweredInstance(statements, parameter);
    }

    public static bool IsSetup(StatementSyntax statement) => statement is CommandSyntax { Target: null, Verb.Text: "setup" };
}
