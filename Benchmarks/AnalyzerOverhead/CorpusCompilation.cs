using CowGuard.Benchmarks.Corpus;
using CowGuard.Benchmarks.Reporting;
using CowGuard.VmModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>
/// A corpus turned into a compilation, with the compiler's own phases timed in this process: parse (once; syntax trees
/// are immutable and shared by every later compilation) and emit (binding, lowering, IL and metadata to memory).
/// Single-threaded (concurrentBuild: false) so the phases and the analyzers are measured on the same footing.
/// </summary>
internal sealed class CorpusCompilation
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private readonly IReadOnlyList<MetadataReference> _references;

    private CorpusCompilation(GeneratedCorpus corpus, IReadOnlyList<SyntaxTree> trees, Measured parseTime)
    {
        Corpus = corpus;
        Trees = trees;
        ParseTime = parseTime;
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All);
        if (corpus.Profile.ReferencesVmModel)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(FollFlags).Assembly.Location));
        }

        _references = references;
    }

    public GeneratedCorpus Corpus { get; }

    public IReadOnlyList<SyntaxTree> Trees { get; }

    public Measured ParseTime { get; }

    public static CorpusCompilation Parse(GeneratedCorpus corpus)
    {
        List<SyntaxTree> trees = [];
        var time = Measured.Of(() => trees = corpus.Files
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, path: f.RelativePath))
            .ToList());
        return new CorpusCompilation(corpus, trees, time);
    }

    /// <summary>A fresh compilation: nothing bound yet, so every measurement pays the full binding cost.</summary>
    public CSharpCompilation CreateFresh() => Create(_references);

    /// <summary>A fresh compilation over freshly loaded reference metadata, as in a new csc process: nothing of any
    /// assembly's type tables has been read yet (compilations that share reference objects share that work).</summary>
    public CSharpCompilation CreateWithFreshMetadata()
    {
        var references = Basic.Reference.Assemblies.Net100.ReferenceInfos.All
            .Select(r => (MetadataReference)MetadataReference.CreateFromImage(r.ImageBytes, filePath: r.FileName))
            .ToList();
        if (Corpus.Profile.ReferencesVmModel)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(FollFlags).Assembly.Location));
        }

        return Create(references);
    }

    private CSharpCompilation Create(IEnumerable<MetadataReference> references) => CSharpCompilation.Create(
        "Synthetic",
        Trees,
        references,
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false));

    /// <summary>Emits a fresh compilation to memory and returns the time; a corpus that does not compile is a generator
    /// bug and stops the run with the first errors.</summary>
    public Measured TimeEmit()
    {
        var compilation = CreateFresh();
        using var peStream = new MemoryStream();
        EmitResult? result = null;
        var time = Measured.Of(() => result = compilation.Emit(peStream));
        if (!result!.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5);
            throw new BenchmarkFailedException(
                $"corpus {Corpus.Label} does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        return time;
    }
}
