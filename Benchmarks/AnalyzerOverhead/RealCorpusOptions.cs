using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using CowGuard.Benchmarks.Corpus;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// `compiler-cpu --corpus DIR`: a real C# tree instead of a generated corpus — the case of a team that adds the
/// package to a solution whose code never calls the page-reference APIs. --package and --property give the tree what
/// its own projects would (NuGet references, LangVersion, ImplicitUsings ...); whatever still fails to compile is
/// counted and reported, not hidden.
/// </summary>
internal sealed partial class RealCorpusOptions
{
    public Option<DirectoryInfo> Corpus { get; } = new("--corpus")
    {
        Description = "A real C# source tree to compile instead of a generated corpus (every *.cs under it but bin, obj and dot folders), with a VmModel reference.",
    };

    public Option<IReadOnlyList<PackageSpec>> Packages { get; } = new("--package")
    {
        Description = "With --corpus: a NuGet package the tree needs, ID@VERSION (repeatable).",
        DefaultValueFactory = _ => [],
        CustomParser = r => r.Tokens.Select(t => PackageSpec.TryParse(t.Value) ?? Invalid<PackageSpec>(r, $"--package: '{t.Value}' is not ID@VERSION")).ToList(),
    };

    public Option<IReadOnlyList<KeyValuePair<string, string>>> Properties { get; } = new("--property")
    {
        Description = "With --corpus: an MSBuild property of the tree's project, NAME=VALUE, e.g. LangVersion=preview or ImplicitUsings=enable (repeatable).",
        DefaultValueFactory = _ => [],
        CustomParser = r => r.Tokens.Select(t => ParseProperty(r, t.Value)).ToList(),
    };

    public Option<IReadOnlyList<string>> Usings { get; } = new("--using")
    {
        Description = "With --corpus: a global using directive the tree's projects declare (<Using Include=\"NS\" />), e.g. Microsoft.CodeAnalysis (repeatable).",
        DefaultValueFactory = _ => [],
        CustomParser = r => r.Tokens.Select(t => NamespaceName().IsMatch(t.Value) ? t.Value : Invalid<string>(r, $"--using: '{t.Value}' is not a namespace name")).ToList(),
    };

    public RealCorpusOptions()
    {
        Corpus.AcceptExistingOnly();
        Packages.AllowMultipleArgumentsPerToken = false;
        Properties.AllowMultipleArgumentsPerToken = false;
        Usings.AllowMultipleArgumentsPerToken = false;
    }

    public IEnumerable<Option> All => [Corpus, Packages, Properties, Usings];

    /// <summary>--package and --property only mean something for a real tree; --lines and --profile only for a generated
    /// corpus.</summary>
    public void Validate(CommandResult command, params Option[] generatedOnly)
    {
        var corpus = command.GetResult(Corpus) is { Implicit: false };
        foreach (var option in corpus ? generatedOnly : [Packages, Properties, Usings])
        {
            if (command.GetResult(option) is { Implicit: false })
            {
                command.AddError(corpus
                    ? $"{option.Name} describes a generated corpus and cannot be combined with --corpus"
                    : $"{option.Name} needs --corpus");
            }
        }
    }

    private static KeyValuePair<string, string> ParseProperty(ArgumentResult result, string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && PropertyName().IsMatch(text[..equals])
            ? new(text[..equals], text[(equals + 1)..])
            : Invalid<KeyValuePair<string, string>>(result, $"--property: '{text}' is not NAME=VALUE with an MSBuild property name");
    }

    private static T Invalid<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }

    [GeneratedRegex(@"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*$")]
    private static partial Regex PropertyName();
}
