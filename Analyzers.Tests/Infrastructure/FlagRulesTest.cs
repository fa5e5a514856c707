using System.Collections.Immutable;
using CowGuard.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CowGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// The three rules that guard the core promise — CG0001 (no break-COW bit), CG0004 (flags not provable), CG0005
/// (API or [GupFlags] lambda turned into a delegate) — run together, with the same references and test APIs as
/// <see cref="CowGuardTest{TAnalyzer, TCodeFix}"/>. A soundness test written with it states which of the three fires
/// at each call and that the other two stay silent.
/// </summary>
public sealed class FlagRulesTest : CSharpAnalyzerTest<CG0001PageReferenceWithoutBreakCowAnalyzer, DefaultVerifier>
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new CG0001PageReferenceWithoutBreakCowAnalyzer(),
        new CG0004FlagsNotProvableAnalyzer(),
        new CG0005PageReferenceApiAsDelegateAnalyzer());

    public FlagRulesTest(string source, bool allowUnsafe = false)
    {
        TestSetup.Apply(this);
        TestCode = source;
        TestState.Sources.Add(("/0/TestApis.cs", TestApis.Source));
        if (allowUnsafe)
        {
            SolutionTransforms.Add((solution, projectId) =>
            {
                var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
                return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
            });
        }
    }

    /// <summary>Runs the three rules over <paramref name="source"/> (with the test APIs) and compares with its markup.</summary>
    public static Task VerifyAsync(string source, bool allowUnsafe = false) => new FlagRulesTest(source, allowUnsafe).RunAsync();

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;
}
