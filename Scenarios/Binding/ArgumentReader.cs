using CowGuard.Scenarios.Diagnostics;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Binding;

/// <summary>
/// Takes a command's arguments in the order its verb declares them and reports, with the location, which argument
/// is missing, which keyword is unknown, or which argument is left over (syntax errors: the line's shape is wrong).
/// </summary>
internal sealed class ArgumentReader(CommandSyntax command, string signature)
{
    private readonly List<ArgumentSyntax> _remaining = [.. command.Arguments];
    private int _positionalsTaken;

    public CommandSyntax Command => command;

    /// <summary>The next positional argument; <paramref name="role"/> names it in the error when it is missing.</summary>
    public ExpressionSyntax Value(string role) => OptionalValue() ?? throw Missing(role);

    public ExpressionSyntax? OptionalValue()
    {
        var index = _remaining.FindIndex(a => a.Name is null);
        if (index < 0)
        {
            return null;
        }

        var argument = _remaining[index];
        _remaining.RemoveAt(index);
        _positionalsTaken++;
        return argument.Value;
    }

    /// <summary>The next positional argument, which must be one of <paramref name="words"/> (a keyword such as rw or dontneed).</summary>
    public T Keyword<T>(string role, IReadOnlyDictionary<string, T> words) => ReadKeyword(Value(role), role, words);

    public static T ReadKeyword<T>(ExpressionSyntax expression, string role, IReadOnlyDictionary<string, T> words)
    {
        if (expression is NameSyntax word && words.TryGetValue(word.Name, out var value))
        {
            return value;
        }

        throw new ScenarioSyntaxException(expression.Location, $"expected {role} ({string.Join(", ", words.Keys)}), found {expression.Describe()}");
    }

    /// <summary>A <c>name=value</c> option, or null when absent.</summary>
    public ExpressionSyntax? Option(string name)
    {
        var index = _remaining.FindIndex(a => a.Name?.Text == name);
        if (index < 0)
        {
            return null;
        }

        var value = _remaining[index].Value;
        _remaining.RemoveAt(index);
        return value;
    }

    /// <summary>A bare word option such as <c>shared</c> or <c>dirty</c>, given after the positional arguments.</summary>
    public bool Flag(string name)
    {
        var index = _remaining.FindIndex(a => a.Name is null && a.Value is NameSyntax v && v.Name == name);
        if (index < 0)
        {
            return false;
        }

        _remaining.RemoveAt(index);
        return true;
    }

    /// <summary>Fails on anything not taken: an extra argument or an option this verb does not have.</summary>
    public void Done()
    {
        if (_remaining.Count == 0)
        {
            return;
        }

        var extra = _remaining[0];
        var where = extra.Name?.Location ?? extra.Value.Location;
        var what = extra.Name is null ? $"argument {extra.Value.Describe()}" : $"option '{extra.Name.Text}'";
        throw new ScenarioSyntaxException(where, $"unexpected {what}: '{command.Verb.Text}' takes {signature}");
    }

    private ScenarioSyntaxException Missing(string role) =>
        new(EndOfArguments(), $"expected {role} as argument {_positionalsTaken + 1} of '{command.Verb.Text}', which takes {signature}");

    private SourceLocation EndOfArguments() =>
        command.Arguments.Count == 0 ? command.Verb.Location : command.Arguments[^1].Value.Location;
}
