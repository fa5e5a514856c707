using System.Collections.Concurrent;
using System.Collections.Immutable;
using CowGuard.Analyzers.Rules;
using CowGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CowGuard.Analyzers.Tests;

/// <summary>
/// Every rule over a snippet that uses every construct the rules look at, and over token-level mutations of it
/// (deletion and duplication of each token): broken code must never make an analyzer throw (no AD0001).
/// </summary>
public sealed class RobustnessTests
{
    private const string KitchenSink = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using CowGuard.VmModel;
        using Lib;
        using Flags = CowGuard.VmModel.FollFlags;
        using static CowGuard.VmModel.FollFlags;

        [WrongSideCowOk("Type-level reason for the whole dump writer")]
        class Dumper(int n) : IDisposable
        {
            const FollFlags ReadOnly = Force | Anon;
            PageRefs? _kept = Api.Get(0, n, ReadOnly);
            PageRefs this[int i] => Api.Get(0, i, Flags.None);
            public void Dispose() => _kept?.Dispose();
        }

        static class Wrapper
        {
            public static PageRefs Grab(ulong start, [GupFlags] FollFlags flags) => Api.Get(start, 1, flags | Force);
        }

        partial class Work
        {
            partial void Take();
            [WrongSideCowOk("<Pending>")]
            partial void Take() => Api.Vmsplice(0, 1);

            async Task<PageRefs> Later(bool b, FollFlags plain)
            {
                await Task.Yield();
                var chosen = b ? Write : BreakCow;
                using var held = Api.Get(0, 1, chosen);
                Func<ulong, int, FollFlags, PageRefs> group = Api.Get;
                Func<PageRefs> lambda = [WrongSideCowOk("Reads a frozen snapshot only")] () => Api.Get(0, 1, None);
                static PageRefs Local() => Api.Get(0, 1, default);
                var pins = Api.Pin(0, 1, plain);
                Api.PutPages((PageRefs)(object)pins);
                Api.Get(0, 1, Write);
                return Wrapper.Grab(0, plain & ~Write);
            }

            IEnumerable<PageRefs> Iterate(int mode)
            {
                yield return Api.Get(0, 1, mode switch { 0 => Write, _ => None });
            }
        }

        record R(int N)
        {
            public PageRefs Refs { get; } = Api.Get(0, N, checked((FollFlags)(1 << 20)));
        }
        """;

    private static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new CG0001PageReferenceWithoutBreakCowAnalyzer(),
        new CG0002JustificationMissingAnalyzer(),
        new CG0003StaleJustificationAnalyzer(),
        new CG0004FlagsNotProvableAnalyzer(),
        new CG0005PageReferenceApiAsDelegateAnalyzer(),
        new CG0006PageReferenceLeakAnalyzer(),
        new CG0007WrongReleaseApiAnalyzer());

    [Fact]
    public async Task The_kitchen_sink_produces_every_expected_rule_and_no_failure()
    {
        var (diagnostics, exceptions) = await AnalyzeAsync(KitchenSink);
        Assert.Empty(exceptions);
        var ids = diagnostics.Select(d => d.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "CG0001", "CG0002", "CG0004", "CG0005", "CG0006", "CG0007" }, ids);
    }

    [Fact]
    public async Task Token_mutations_never_make_an_analyzer_throw()
    {
        var tokens = CSharpSyntaxTree.ParseText(KitchenSink).GetRoot().DescendantTokens().ToList();
        var failures = new ConcurrentBag<string>();
        var mutants = 0;
        for (var i = 0; i < tokens.Count; i += 3)
        {
            var span = tokens[i].Span;
            foreach (var mutant in new[]
            {
                KitchenSink.Remove(span.Start, span.Length),
                KitchenSink.Insert(span.Start, tokens[i].Text + " "),
            })
            {
                mutants++;
                var (_, exceptions) = await AnalyzeAsync(mutant);
                foreach (var exception in exceptions)
                {
                    failures.Add($"token {i} '{tokens[i].Text}': {exception}");
                }
            }
        }

        Assert.True(mutants > 250, $"only {mutants} mutants");
        Assert.Empty(failures);
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>One compilation with the references bound once; each mutant only replaces the snippet's tree.</summary>
    private static readonly CSharpCompilation BaseCompilation = CSharpCompilation.Create(
        "Mutant",
        new[]
        {
            CSharpSyntaxTree.ParseText(KitchenSink, ParseOptions, "Mutant.cs"),
            CSharpSyntaxTree.ParseText(TestApis.Source, ParseOptions, "TestApis.cs"),
        },
        Basic.Reference.Assemblies.Net100.References.All.Append(
            MetadataReference.CreateFromFile(typeof(CowGuard.VmModel.FollFlags).Assembly.Location)),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CG0003"] = ReportDiagnostic.Info }));

    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<Exception> Exceptions)> AnalyzeAsync(string source)
    {
        var compilation = BaseCompilation.ReplaceSyntaxTree(
            BaseCompilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(source, ParseOptions, "Mutant.cs"));
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers, options).GetAnalyzerDiagnosticsAsync();
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => new InvalidOperationException(d.ToString())));
        return (diagnostics, exceptions);
    }
}
