using CowGuard.Scenarios.Bound;
using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Lowering;
using CowGuard.Scenarios.Syntax;
using CowGuard.VmModel;

namespace CowGuard.Scenarios.Binding;

/// <summary>
/// Binds one lowered scenario instance: every name becomes a typed <see cref="Symbol"/>, every operation a bound
/// statement checked against its verb, numbers known before the run are folded and range-checked. Every problem is
/// reported to the <see cref="DiagnosticBag"/> with its location and binding goes on, so a file's problems are all
/// reported at once; a statement with a problem is left out and the name it would define stays known, with a kind
/// that reports nothing more (no cascade).
/// </summary>
internal sealed partial class Binder
{
    private readonly Dictionary<string, Symbol> _scope = new(StringComparer.Ordinal);
    private readonly List<Symbol> _symbols = [];
    private readonly List<BoundStatement> _statements = [];
    private readonly List<BoundExpect> _checks = [];
    private readonly DiagnosticBag _diagnostics;

    /// <summary>Binding a backing on its own: names it takes from the scenario that runs it are unknown, and not an error.</summary>
    private readonly bool _standalone;

    private Binder(DiagnosticBag diagnostics, bool standalone = false)
    {
        _diagnostics = diagnostics;
        _standalone = standalone;
    }

    /// <summary>The model's base page: what a GUP page count is counted in.</summary>
    public static ulong PageSize => PageGeometry.PageSize;

    public static BoundProgram Bind(LoweredInstance instance, DiagnosticBag diagnostics)
    {
        var binder = new Binder(diagnostics);
        if (instance.Parameter is { } parameter)
        {
            binder.Define(new Symbol(parameter.Name, ScenarioType.Number, parameter.Location) { Constant = parameter.Value, IsParameter = true });
        }

        foreach (var statement in instance.Statements)
        {
            if (binder.BindStatement(statement.Syntax) is { } bound)
            {
                binder._statements.Add(bound with { FromBacking = statement.FromBacking });
            }
        }

        return new BoundProgram(binder._statements, binder._checks, binder._symbols);
    }

    /// <summary>
    /// Binds a backing's statements on their own (the parameter a number, names from the scenario unknown), for the
    /// problems that do not depend on the scenario that runs it; see <see cref="Loading.BackingLibrary.CheckBackings"/>.
    /// </summary>
    public static void BindBacking(Syntax.BackingSyntax backing, DiagnosticBag diagnostics)
    {
        var binder = new Binder(diagnostics, standalone: true);
        if (backing.Parameter is { } parameter)
        {
            binder.Define(new Symbol(parameter.Text, ScenarioType.Number, parameter.Location));
        }

        foreach (var statement in backing.Body)
        {
            binder.BindStatement(statement);
        }
    }

    private BoundStatement? BindStatement(StatementSyntax syntax)
    {
        switch (syntax)
        {
            case LetSyntax let:
                return BindLet(let);
            case ExpectSyntax expect:
                return BindExpect(expect);
            case FaultySyntax faulty:
                Define(ErrorSymbol(faulty.Target.Text, faulty.Target.Location));
                return null;
            case CommandSyntax command:
                BoundStatement? bound = null;
                _diagnostics.Try(() => bound = BindCommand(command, discardsValue: false));
                if (bound is null && command.Target is { } target)
                {
                    Define(ErrorSymbol(target.Text, target.Location));
                }

                return bound;
            default:
                throw new InvalidOperationException($"unknown statement syntax {syntax.GetType().Name}");
        }
    }

    private BoundLet? BindLet(LetSyntax let)
    {
        var value = BindExpression(let.Value);
        if (value.Type == ScenarioType.Error)
        {
            Define(ErrorSymbol(let.Target.Text, let.Target.Location));
            return null;
        }

        var alias = value is BoundVariable variable ? variable.Symbol.Root : null;
        var target = Define(new Symbol(let.Target.Text, value.Type, let.Target.Location) { Constant = value.Constant, AliasOf = alias });
        return new BoundLet(value, let.Location) { Target = target };
    }

    /// <summary>Binds an operation line. <paramref name="discardsValue"/>: under <c>try</c>, its own value is dropped.</summary>
    private BoundStatement? BindCommand(CommandSyntax command, bool discardsValue)
    {
        var verb = command.Verb.Text;
        if (verb == "try")
        {
            return BindTry(command);
        }

        var operation = Operations.Find(command.Verb);
        var reader = new ArgumentReader(command, operation.Signature);
        var statement = operation.Bind(reader, this);
        reader.Done();
        CheckTarget(command, operation, discardsValue);
        if (statement is null || discardsValue || command.Target is not { } target)
        {
            return statement;
        }

        return statement with { Target = Define(new Symbol(target.Text, operation.Produces!(statement), target.Location)) };
    }

    private static void CheckTarget(CommandSyntax command, Operation operation, bool discardsValue)
    {
        var verb = command.Verb.Text;
        if (operation.Produces is null && command.Target is { } unwanted)
        {
            throw new ScenarioSyntaxException(unwanted.Location, $"'{verb}' produces no value to assign to '{unwanted.Text}'");
        }

        if (operation.TargetRequired && command.Target is null && !discardsValue)
        {
            throw new ScenarioSyntaxException(command.Verb.Location, $"'{verb}' produces a value: write 'NAME = {verb} ...'");
        }
    }

    /// <summary>
    /// <c>r = try VERB ARGS</c>: the inner operation is bound as if it had its own target (its value is dropped);
    /// the try statement's value is the outcome.
    /// </summary>
    private BoundTry? BindTry(CommandSyntax command)
    {
        if (command.Arguments.Count == 0 || command.Arguments[0] is not { Name: null, Value: NameSyntax verb })
        {
            var where = command.Arguments.Count == 0 ? command.Verb.Location : command.Arguments[0].Value.Location;
            throw new ScenarioSyntaxException(where, "expected an operation after 'try'");
        }

        if (verb.Name == "try")
        {
            throw new ScenarioSyntaxException(verb.Location, "'try try' is not allowed: give one operation");
        }

        var verbToken = new Token(TokenKind.Identifier, verb.Name, verb.Location);
        var inner = BindCommand(new CommandSyntax(null, verbToken, command.Arguments.Skip(1).ToList()), discardsValue: true);
        if (inner is null)
        {
            return null;
        }

        var attempt = new BoundTry(inner, command.Location, "try");
        return command.Target is { } target
            ? attempt with { Target = Define(new Symbol(target.Text, ScenarioType.Text, target.Location)) }
            : attempt;
    }

    private Symbol Define(Symbol symbol)
    {
        _symbols.Add(symbol);
        _scope[symbol.Name] = symbol;
        return symbol;
    }

    private Symbol ErrorSymbol(string name, SourceLocation location) => new(name, ScenarioType.Error, location);

    private void Report(SourceLocation location, string cause) => _diagnostics.Report(location, DiagnosticKind.Error, cause);
}
