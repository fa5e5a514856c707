using System.Collections.Immutable;
using System.Diagnostics;
using CowGuard.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Tests.Robustness;

/// <summary>What one analyzer pass produced: analyzer exceptions (callback and AD0001), diagnostics, time.</summary>
internal sealed record AnalyzerRunResult(IReadOnlyList<string> Failures, ImmutableArray<Diagnostic> Diagnostics, TimeSpan Elapsed);

/// <summary>
/// Runs every DiagnosticAnalyzer of the CowGuard.Analyzers assembly (found by reflection, so a new rule is covered
/// without editing this list) over a compilation, with every rule switched on — also the ones off by default
/// (CG0003, CG0100) — and collects every analyzer exception.
/// </summary>
internal static class AnalyzerRun
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = typeof(CG0001PageReferenceWithoutBreakCowAnalyzer).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
            && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>Net100 reference assemblies and the VmModel assembly (which carries the annotations).</summary>
    public static readonly IReadOnlyList<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
        .Append(MetadataReference.CreateFromFile(typeof(CowGuard.VmModel.FollFlags).Assembly.Location))
        .ToList();

    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithSpecificDiagnosticOptions(AllAnalyzers.SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id).Distinct().ToDictionary(id => id, _ => ReportDiagnostic.Warn));

    /// <summary>
    /// The few reference assemblies the test snippets use (System.Runtime and friends): binding against 170
    /// assemblies costs most of a mutant's analysis time, and the snippets need none of the others.
    /// </summary>
    public static readonly IReadOnlyList<MetadataReference> CoreReferences =
    [
        Basic.Reference.Assemblies.Net100.References.SystemRuntime,
        Basic.Reference.Assemblies.Net100.References.SystemCollections,
        Basic.Reference.Assemblies.Net100.References.SystemLinq,
        Basic.Reference.Assemblies.Net100.References.SystemThreading,
        Basic.Reference.Assemblies.Net100.References.SystemThreadingTasks,
        MetadataReference.CreateFromFile(typeof(CowGuard.VmModel.FollFlags).Assembly.Location),
    ];

    public static CSharpCompilation Compile(string name, IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference>? references = null) =>
        CSharpCompilation.Create(name, trees, references ?? References, CompilationOptions);

    public static async Task<AnalyzerRunResult> AnalyzeAsync(Compilation compilation)
    {
        var failures = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, diagnostic) =>
            {
                lock (failures)
                {
                    failures.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}");
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var clock = Stopwatch.StartNew();
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers, options).GetAnalyzerDiagnosticsAsync();
        clock.Stop();
        lock (failures)
        {
            failures.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
            return new AnalyzerRunResult(failures.ToList(), diagnostics, clock.Elapsed);
        }
    }
}
