using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// How each page reference of a program is held on a live kernel (<see cref="GupSubstitute"/>): a vmsplice() pipe,
/// an io_uring registration or a remote copy, by the symbol that names it (aliases share it) and by the statement
/// that takes it. A GUP with no system-call equivalent is a problem at that statement. Computed once, up front.
/// </summary>
internal sealed class HandlePlan
{
    private readonly Dictionary<Symbol, HandleKind> _bySymbol = [];
    private readonly Dictionary<BoundStatement, HandleKind> _byStatement = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<BoundStatement, UntranslatableException> _problems = new(ReferenceEqualityComparer.Instance);

    private HandlePlan()
    {
    }

    public IReadOnlyDictionary<Symbol, HandleKind> BySymbol => _bySymbol;

    public static HandlePlan Build(BoundProgram program, KernelFacts facts)
    {
        var plan = new HandlePlan();
        foreach (var statement in StatementWalk.All(program))
        {
            switch (statement)
            {
                case BoundGup gup:
                    try
                    {
                        plan.Record(gup, GupSubstitute.Choose(gup, facts.HasGupTest));
                    }
                    catch (UntranslatableException e)
                    {
                        plan._problems[gup] = e;
                    }

                    break;
                case BoundVmsplice:
                    plan.Record(statement, HandleKind.VmsplicePipe);
                    break;
                case BoundIoUringRegister:
                    plan.Record(statement, HandleKind.IoUringPin);
                    break;
            }
        }

        return plan;
    }

    /// <summary>How the handle an expression names is held.</summary>
    public HandleKind Of(BoundExpression handle) =>
        handle is BoundVariable variable && _bySymbol.TryGetValue(variable.Symbol.Root, out var kind)
            ? kind
            : throw new UntranslatableException(handle.Location, "expected a variable holding a page handle, a pipe or a registered buffer");

    /// <summary>How the reference a statement takes is held; throws when it has no system-call equivalent.</summary>
    public HandleKind TakenBy(BoundStatement statement) =>
        _problems.TryGetValue(statement, out var problem) ? throw problem : _byStatement[statement];

    private void Record(BoundStatement statement, HandleKind kind)
    {
        _byStatement[statement] = kind;
        if (statement.Target is { } target)
        {
            _bySymbol[target] = kind;
        }
    }
}
