using System.Globalization;

namespace CowGuard.Benchmarks;

/// <summary>Bad command-line input: reported with the usage text and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>"command --name value ..." parsed once; typed getters say which option is wrong and why.</summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values;

    private CommandOptions(string command, Dictionary<string, string> values)
    {
        Command = command;
        _values = values;
    }

    public string Command { get; }

    public static CommandOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new UsageException("no command given");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new UsageException($"argument {i}: expected '--name value', got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new CommandOptions(args[0], values);
    }

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? ParseInt(name, text) : fallback;

    public IReadOnlyList<int> Ints(string name, string fallback) =>
        Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => ParseInt(name, t)).ToList();

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name}: '{text}' is not a positive whole number");
}
