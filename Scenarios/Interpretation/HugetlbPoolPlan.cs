using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Loading;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>
/// The model sizes its hugetlb pools when the machine boots, so the <c>nr_hugepages</c> lines of a scenario (and
/// of its backing) are read before it starts. Their arguments must therefore be constants or the backing's parameter.
/// </summary>
internal static class HugetlbPoolPlan
{
    public static int PagesOf(ScenarioInstance instance, ulong pageSize)
    {
        var constants = new Scope();
        if (instance.Backing?.Definition.Parameter is { } parameter)
        {
            constants.Set(parameter, new NumberValue(instance.Backing.ParameterValue!.Value));
        }

        var statements = instance.Body.Concat(instance.Backing?.Definition.Body ?? []).OfType<HugetlbPoolStatement>();
        var pages = 0;
        foreach (var statement in statements)
        {
            if (Evaluate(constants, statement.Size) == pageSize)
            {
                pages = (int)Math.Min(Evaluate(constants, statement.Count), int.MaxValue);
            }
        }

        return pages;
    }

    /// <summary>At run time the line only confirms the pool it asked for exists (it was applied at boot).</summary>
    public static void Verify(Machine machine, Scope scope, HugetlbPoolStatement statement)
    {
        var size = scope.Number(statement.Size);
        var pool = size switch
        {
            PageGeometry.PmdSize => machine.HugetlbPool2M,
            PageGeometry.PudSize => machine.HugetlbPool1G,
            _ => throw new ScenarioRuntimeException(statement.Size.Location, $"expected a hugetlb size of 2M or 1G, found {size}"),
        };
        if ((ulong)pool.Total != scope.Number(statement.Count))
        {
            throw new ScenarioRuntimeException(statement.Location, $"nr_hugepages is applied at boot: the pool has {pool.Total} pages, not {scope.Number(statement.Count)}");
        }
    }

    private static ulong Evaluate(Scope constants, Expr expr)
    {
        try
        {
            return constants.Number(expr);
        }
        catch (ScenarioRuntimeException e)
        {
            throw new ScenarioRuntimeException(expr.Location, $"nr_hugepages needs constant arguments (the machine boots with its pools): {e.Cause}", e);
        }
    }
}
