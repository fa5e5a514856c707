using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Package.Tests.Infrastructure;

/// <summary>The rules an analyzer assembly declares: one descriptor per ID, in ID order.</summary>
internal static class RuleDescriptors
{
    /// <summary>CowGuard's rules, from the analyzer assembly this test project references.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = Of(typeof(CowGuard.Analyzers.RuleIdentifiers).Assembly);

    public static IReadOnlyList<DiagnosticDescriptor> Of(Assembly assembly) => assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList();
}
