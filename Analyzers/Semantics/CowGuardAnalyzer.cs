using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Analyzers.Semantics;

/// <summary>
/// Base of every CowGuard rule. Seals the Roslyn setup so every rule behaves the same: concurrent execution, no
/// analysis of generated code, and an early bail-out at compilation start when VmModel's annotations are not
/// referenced (an ordinary project pays one metadata lookup per compilation and nothing else).
/// </summary>
public abstract class CowGuardAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysis);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = CowGuardCompilation.For(start.Compilation, start.Options);
            if (compilation is not null)
            {
                Register(start, compilation);
            }
        });
    }

    /// <summary>None: generated code is neither analyzed nor reported. A rule that filters its own diagnostics with
    /// <see cref="GeneratedCodeFilter"/> sets ReportDiagnostics (still without Analyze).</summary>
    private protected virtual GeneratedCodeAnalysisFlags GeneratedCodeAnalysis => GeneratedCodeAnalysisFlags.None;

    /// <summary>Registers the rule's actions for a compilation that references VmModel.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, CowGuardCompilation compilation);
}
