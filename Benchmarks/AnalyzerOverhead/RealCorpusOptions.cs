using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using CowGuard.Benchmarks.Corpus;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// `compiler-cpu --project PATH` and `--corpus DIR`: real code instead of a generated corpus — the case of a team that
/// adds the package to a solution whose code never calls the page-reference APIs. --project compiles a real project
/// as its own build does (its packages, framework, settings; --property sets MSBuild properties such as
/// TargetFramework). --corpus compiles every file of a tree as one project; --package, --property and --using give
/// it what the tree's own projects would. Whatever fails to compile is counted and reported, not hidden.
/// </summary>
internal sealed partial class RealCorpusOptions
{
    public Option<DirectoryInfo> Corpus { get; } = new("--corpus")
    {
        Description = "A real C# source tree to compile instead of a generated corpus (every *.cs under it but bin, obj and dot folders), with a VmModel reference.",
    };

    public Option<FileInfo[]> Projects { get; } = new("--project")
    {
        Description = "A real project (.csproj) to compile as its own build does, with a VmModel reference added (repeatable: each is measured and reported on its own).",
    };

    public Option<IReadOnlyList<PackageSpec>> Packages { get; } = new("--package")
    {
        Description = "With --corpus: a NuGet package the tree needs, ID@VERSION (repeatable).",
        DefaultValueFactory = _ => [],
        CustomParser = r => r.Tokens.Select(t => PackageSpec.TryParse(t.Value) ?? Invalid<PackageSpec>(r, $"--package: '{t.Value}' is not ID@VERSION")).ToList(),
    };

    public Option<IReadOnlyList<KeyValuePair<string, string>>> Properties { get; } = new("--property")
    {
        Description = "With --project or --corpus: an MSBuild property, NAME=VALUE, e.g. TargetFramework=net10.0 (a multi-targeting project needs one) or LangVersion=preview (repeatable).",
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
        Projects.AcceptExistingOnly();
        Projects.AllowMultipleArgumentsPerToken = false;
        Packages.AllowMultipleArgumentsPerToken = false;
        Properties.AllowMultipleArgumentsPerToken = false;
        Usings.AllowMultipleArgumentsPerToken = false;
    }

    public IEnumerable<Option> All => [Projects, Corpus, Packages, Properties, Usings];

    /// <summary>--lines and --profile only mean something for a generated corpus; --package and --using only for a
    /// tree; --property for a tree or a project.</summary>
    public void Validate(CommandResult command, params Option[] generatedOnly)
    {
        bool Given(Option option) => command.GetResult(option) is { Implicit: false };
        Option? real = Given(Projects) ? Projects : Given(Corpus) ? Corpus : null;
        if (Given(Projects) && Given(Corpus))
        {
            command.AddError("--project and --corpus cannot be combined");
        }

        foreach (var option in generatedOnly.Where(o => real is not null && Given(o)))
        {
            command.AddError($"{option.Name} describes a generated corpus and cannot be combined with {real!.Name}");
        }

        foreach (var option in new Option[] { Packages, Usings }.Where(o => real != Corpus && Given(o)))
        {
            command.AddError($"{option.Name} needs --corpus");
        }

        if (real is null && Given(Properties))
        {
            command.AddError($"{Properties.Name} needs --corpus or --project");
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
