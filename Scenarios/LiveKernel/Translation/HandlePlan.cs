using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.LiveKernel.Translation;

/// <summary>
/// How each page reference of a program is held on a live kernel (<see cref="GupSubstitute"/>): a vmsplice() pipe,
/// an io_uring registration or a remote copy, by the symbol that names it (aliases share it) and by the statement
/// that takes it. A GUP with no system-call equivalent is a problem at that statement, and so is a second gup_test
/// pin taken while the first is held: mm/gup_test.c keeps one global page array, and PIN_LONGTERM_TEST_START is
/// -EINVAL while it is in use. Computed once, up front.
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
        (object Handle, BoundGup Taken)? heldGupTestPin = null;
        foreach (var statement in StatementWalk.All(program))
        {
            switch (statement)
            {
                case BoundGup gup:
                    try
                    {
                        var kind = GupSubstitute.Choose(gup, facts.HasGupTest);
                        if (kind == HandleKind.GupTestPin)
                        {
                            if (heldGupTestPin is { } held)
                            {
                                throw new UntranslatableException(
                                    gup.Location,
                                    $"gup_test holds one long-term pin at a time in the whole system, and the pin taken at line {held.Taken.Location.Line} is still held here");
                            }

                            // Under 'try' the handle has no name and is never released: it stays held to the end.
                            heldGupTestPin = (gup.Target?.Root ?? (object)gup, gup);
                        }

                        plan.Record(gup, kind);
                    }
                    catch (UntranslatableException e)
                    {
                        plan._problems[gup] = e;
                    }

                    break;
                case BoundRelease { Handle: BoundVariable released } when heldGupTestPin is { } held && ReferenceEquals(released.Symbol.Root, held.Handle):
                    heldGupTestPin = null;
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
