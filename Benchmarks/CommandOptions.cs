using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CowGuard.Benchmarks.Corpus;

namespace CowGuard.Benchmarks;

/// <summary>
/// The options the harness's commands share, as System.CommandLine options that parse and check their values (as the
/// cowguard CLI's do): a bad value is reported with the option's name before any benchmark starts.
/// </summary>
internal static class CommandOptions
{
    /// <summary>A positive whole number (thousands separators allowed: --ops 5,000,000).</summary>
    public static Option<int> PositiveInt(string name, int fallback, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback, CustomParser = r => ParsePositive(r, r.Tokens.Single().Value) };

    /// <summary>A whole number, zero or more.</summary>
    public static Option<int> NonNegativeInt(string name, int fallback, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = r => int.TryParse(r.Tokens.Single().Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : Error(r, $"{OptionName(r)}: '{r.Tokens.Single().Value}' is not a whole number, zero or more", 0),
        };

    /// <summary>A positive whole number with no default (the command derives one from other options).</summary>
    public static Option<int?> OptionalPositiveInt(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParsePositive(r, r.Tokens.Single().Value) };

    /// <summary>A comma-separated list of positive whole numbers, e.g. --pages 1024,8192.</summary>
    public static Option<IReadOnlyList<int>> PositiveInts(string name, IReadOnlyList<int> fallback, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = r => Items(r.Tokens.Single().Value).Select(t => ParsePositive(r, t)).ToList(),
        };

    /// <summary>A switch: <c>--perf</c> or <c>--perf true</c> turn it on, <c>--perf false</c> off (bench.sh writes the value out).</summary>
    public static Option<bool> Flag(string name, bool fallback, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback };

    /// <summary>One word out of a fixed set.</summary>
    public static Option<string> OneOf(string name, string fallback, string description, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    /// <summary>One corpus profile (dense, plain, plain+ref).</summary>
    public static Option<CorpusProfile> Profile(string fallback) =>
        new("--profile")
        {
            Description = $"The generated corpus: {string.Join(", ", CorpusProfile.All.Select(p => p.Name))}.",
            DefaultValueFactory = _ => CorpusProfile.Parse(fallback),
            CustomParser = r => ParseProfile(r, r.Tokens.Single().Value),
        };

    /// <summary>Comma-separated corpus profiles (default: all).</summary>
    public static Option<IReadOnlyList<CorpusProfile>> Profiles() =>
        new("--profiles")
        {
            Description = $"Comma-separated corpus profiles (default: all of {string.Join(", ", CorpusProfile.All.Select(p => p.Name))}).",
            DefaultValueFactory = _ => CorpusProfile.All,
            CustomParser = r => Items(r.Tokens.Single().Value).Select(t => ParseProfile(r, t)).ToList(),
        };

    /// <summary>Where the reports go (created if missing).</summary>
    public static Option<DirectoryInfo> Out() =>
        new("--out") { Description = "The results directory (created if missing).", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };

    /// <summary>Where generated corpora are written and built.</summary>
    public static Option<DirectoryInfo> Work() =>
        new("--work")
        {
            Description = "Where the generated corpus projects are written and built.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Path.GetTempPath(), "cg-bench-corpus")),
        };

    /// <summary>The results directory, created.</summary>
    public static string Created(DirectoryInfo directory) => Directory.CreateDirectory(directory.FullName).FullName;

    private static IEnumerable<string> Items(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int ParsePositive(ArgumentResult result, string text)
    {
        return int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : Error(result, $"{OptionName(result)}: '{text}' is not a positive whole number", 0);
    }

    private static CorpusProfile ParseProfile(ArgumentResult result, string name) =>
        CorpusProfile.All.FirstOrDefault(p => p.Name == name)
        ?? Error(result, $"{OptionName(result)}: unknown corpus profile '{name}' (known: {string.Join(", ", CorpusProfile.All.Select(p => p.Name))})", CorpusProfile.All[0]);

    /// <summary>Reports a bad value; the placeholder returned is never used, as the parse has failed.</summary>
    private static T Error<T>(ArgumentResult result, string message, T placeholder)
    {
        result.AddError(message);
        return placeholder;
    }

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
