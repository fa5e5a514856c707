using System.Reflection;
using CowGuard.Scenarios.Ast;
using Binder = CowGuard.Scenarios.Binding.Binder;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Loading;

/// <summary>
/// Checks before anything runs that every variable is assigned before it is used, walking the body with the
/// backing's statements in place of <c>setup</c>. Catches typos such as <c>p = proces</c> at load time.
/// </summary>
internal static class NameChecker
{
    public static void Check(ScenarioInstance instance)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        if (instance.Backing?.Definition.Parameter is { } parameter)
        {
            defined.Add(parameter);
        }

        foreach (var statement in instance.Body)
        {
            if (statement is SetupStatement && instance.Backing is { } backing)
            {
                foreach (var inner in backing.Definition.Body)
                {
                    Visit(inner, defined);
                }
            }
            else
            {
                Visit(statement, defined);
            }
        }
    }

    private static void Visit(Statement statement, HashSet<string> defined)
    {
        foreach (var variable in VariablesOf(statement))
        {
            if (!defined.Contains(variable.Name))
            {
                var hint = Binder.IsVerb(variable.Name) ? $" ('{variable.Name}' is an operation: write it first on the right of '=')" : string.Empty;
                throw new ScenarioSyntaxException(variable.Location, $"unknown variable '{variable.Name}': it is used before anything assigns it{hint}");
            }
        }

        if (statement.Target is { } target)
        {
            defined.Add(target);
        }
    }

    /// <summary>Every variable a statement reads, found through its Expr, Operand and query-typed properties.</summary>
    private static IEnumerable<VariableExpr> VariablesOf(object node) => node switch
    {
        VariableExpr variable => [variable],
        BinaryExpr binary => VariablesOf(binary.Left).Concat(VariablesOf(binary.Right)),
        Expr => [],
        ValueOperand value => VariablesOf(value.Value),
        QueryOperand query => VariablesOf(query.Query),
        Statement statement => statement.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(Expr).IsAssignableFrom(p.PropertyType) || typeof(Operand).IsAssignableFrom(p.PropertyType))
            .Select(p => p.GetValue(statement))
            .OfType<object>()
            .SelectMany(VariablesOf),
        _ => [],
    };
}
