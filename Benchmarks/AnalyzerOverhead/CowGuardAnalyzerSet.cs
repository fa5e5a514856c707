using System.Collections.Immutable;
using System.Reflection;
using CowGuard.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Benchmarks.AnalyzerOverhead;

/// <summary>Every analyzer the CowGuard.Analyzers assembly ships, found the way the compiler finds them (by
/// [DiagnosticAnalyzer]), so rules added later are measured without touching the benchmarks.</summary>
internal static class CowGuardAnalyzerSet
{
    public static Assembly Assembly { get; } = typeof(CG0001PageReferenceWithoutBreakCowAnalyzer).Assembly;

    public static ImmutableArray<DiagnosticAnalyzer> Create() =>
        Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) &&
                        t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
