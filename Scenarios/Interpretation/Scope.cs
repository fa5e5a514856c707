using CowGuard.Scenarios.Bound;

namespace CowGuard.Scenarios.Interpretation;

/// <summary>The values of one run's symbols. The binder checked every kind, so a wrong kind here is a bug, not a user error.</summary>
internal sealed class Scope
{
    private readonly Dictionary<Symbol, Value> _values = [];

    public void Set(Symbol symbol, Value value) => _values[symbol] = value;

    /// <summary>A backing parameter is a constant with no defining statement; every other symbol was set by its statement.</summary>
    public Value Get(Symbol symbol) =>
        symbol.IsParameter ? new NumberValue(symbol.Constant!.Value)
        : _values.TryGetValue(symbol, out var value) ? value
        : throw new InvalidOperationException($"'{symbol.Name}' (defined at {symbol.DefinedAt}) was used before its statement ran");

    public static T As<T>(Value value)
        where T : Value =>
        value as T ?? throw new InvalidOperationException($"the binder let {value.GetType().Name} through where {typeof(T).Name} was expected");
}
