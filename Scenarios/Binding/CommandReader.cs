using CowGuard.Scenarios.Ast;
using CowGuard.Scenarios.Syntax;

namespace CowGuard.Scenarios.Binding;

/// <summary>
/// Takes a command's arguments in the order its verb declares them and reports, with the location, which argument
/// is missing, which keyword is unknown, or which argument is left over.
/// </summary>
internal sealed class CommandReader(CommandSyntax command, string signature)
{
    private readonly List<ArgumentSyntax> remaining = [.. command.Arguments];
    private int positionalsTaken;

    public string VerbText => command.Verb.Text;

    public SourceLocation Location => command.Target?.Location ?? command.Verb.Location;

    /// <summary>The next positional argument; <paramref name="role"/> names it in the error when it is missing.</summary>
    public Expr Value(string role) => OptionalValue() ?? throw Missing(role);

    public Expr? OptionalValue()
    {
        var index = remaining.FindIndex(a => a.Name is null);
        if (index < 0)
        {
            return null;
        }

        var argument = remaining[index];
        remaining.RemoveAt(index);
        positionalsTaken++;
        return argument.Value;
    }

    /// <summary>The next positional argument, which must be one of <paramref name="words"/> (a keyword such as rw or dontneed).</summary>
    public T Keyword<T>(string role, IReadOnlyDictionary<string, T> words) => ReadKeyword(Value(role), role, words);

    public static T ReadKeyword<T>(Expr expr, string role, IReadOnlyDictionary<string, T> words)
    {
        if (expr is VariableExpr word && words.TryGetValue(word.Name, out var value))
        {
            return value;
        }

        throw new ScenarioSyntaxException(expr.Location, $"expected {role} ({string.Join(", ", words.Keys)}), found {Describe(expr)}");
    }

    /// <summary>A <c>name=value</c> option, or null when absent.</summary>
    public Expr? Option(string name)
    {
        var index = remaining.FindIndex(a => a.Name?.Text == name);
        if (index < 0)
        {
            return null;
        }

        var value = remaining[index].Value;
        remaining.RemoveAt(index);
        return value;
    }

    /// <summary>A bare word option such as <c>shared</c> or <c>dirty</c>, given after the positional arguments.</summary>
    public bool Flag(string name)
    {
        var index = remaining.FindIndex(a => a.Name is null && a.Value is VariableExpr v && v.Name == name);
        if (index < 0)
        {
            return false;
        }

        remaining.RemoveAt(index);
        return true;
    }

    /// <summary>Fails on anything not taken: an extra argument or an option this verb does not have.</summary>
    public void Done()
    {
        if (remaining.Count == 0)
        {
            return;
        }

        var extra = remaining[0];
        var where = extra.Name?.Location ?? extra.Value.Location;
        var what = extra.Name is null ? $"argument {Describe(extra.Value)}" : $"option '{extra.Name.Text}'";
        throw new ScenarioSyntaxException(where, $"unexpected {what}: '{command.Verb.Text}' takes {signature}");
    }

    /// <summary>The assignment target; verbs that produce a value call this (null when the value is discarded).</summary>
    public string? OptionalTarget() => command.Target?.Text;

    public string RequiredTarget() => command.Target?.Text
        ?? (command.DiscardsValue ? string.Empty : null)
        ?? throw new ScenarioSyntaxException(command.Verb.Location, $"'{command.Verb.Text}' produces a value: write 'NAME = {command.Verb.Text} ...'");

    public void NoTarget()
    {
        if (command.Target is { } target)
        {
            throw new ScenarioSyntaxException(target.Location, $"'{command.Verb.Text}' produces no value to assign to '{target.Text}'");
        }
    }

    private ScenarioSyntaxException Missing(string role) =>
        new(EndOfArguments(), $"expected {role} as argument {positionalsTaken + 1} of '{command.Verb.Text}', which takes {signature}");

    private SourceLocation EndOfArguments() =>
        command.Arguments.Count == 0 ? command.Verb.Location : command.Arguments[^1].Value.Location;

    public static string Describe(Expr expr) => expr switch
    {
        VariableExpr v => $"'{v.Name}'",
        NumberExpr n => $"number {n.Spelling}",
        StringExpr s => $"string \"{s.Value}\"",
        FlagUnionExpr => "a '|' flag list",
        _ => "an arithmetic expression",
    };
}
