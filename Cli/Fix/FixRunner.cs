using System.Collections.Immutable;
using System.Reflection;
using CowGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CowGuard.Cli.Fix;

/// <summary>
/// Runs CowGuard's analyzers on loaded projects and applies one shipped code fix with Fix All semantics: the fix's
/// own FixAllProvider over the whole project, exactly what "Fix all occurrences in project" does in an IDE. Each
/// diagnostic's own fix is computed too, only to say which edits of the Fix All result belong to which diagnostic
/// (SARIF carries one fix per result).
/// </summary>
internal sealed class FixRunner(FixChoice choice, TextWriter progress)
{
    private const string FollFlagsMetadataName = "CowGuard.VmModel.FollFlags";

    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers = CowGuardAnalyzers()
        .Where(a => a.SupportedDiagnostics.Any(d => choice.DiagnosticIds.Contains(d.Id)))
        .ToImmutableArray();

    public async Task<FixReport> RunAsync(Solution solution, IReadOnlyList<ProjectId> projectIds, CancellationToken cancellationToken)
    {
        var files = new List<FileFix>();
        var results = new List<FixResult>();
        // A file compiled into several projects (multi-targeting, linked files) is fixed once, by the first project.
        var claimedPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var projectId in projectIds)
        {
            var project = solution.GetProject(projectId)!;
            var diagnostics = (await AnalyzeAsync(project, cancellationToken))
                .Where(d => solution.GetDocument(d.Location.SourceTree) is { FilePath: { } path } && !claimedPaths.Contains(path))
                .ToList();
            if (diagnostics.Count == 0)
            {
                continue;
            }

            var (projectFiles, projectResults) = await FixProjectAsync(project, diagnostics, cancellationToken);
            files.AddRange(projectFiles);
            results.AddRange(projectResults);
            claimedPaths.UnionWith(diagnostics.Select(d => solution.GetDocument(d.Location.SourceTree)!.FilePath!));
        }

        return new FixReport(choice, files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), results);
    }

    /// <summary>The chosen rules' diagnostics in the project's source, at the severities its configuration gives them.</summary>
    private async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken);
        if (compilation is null)
        {
            return [];
        }

        if (compilation.GetTypeByMetadataName(FollFlagsMetadataName) is null)
        {
            progress.WriteLine($"fix: {project.Name} does not reference CowGuard.VmModel (is it restored?): nothing to analyse");
            return [];
        }

        var errors = compilation.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        if (errors > 0)
        {
            progress.WriteLine($"fix: warning: {project.Name} has {errors} compiler error(s); its fixes are computed anyway");
        }

        var analysis = compilation.WithAnalyzers(_analyzers, new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = await analysis.GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var failure in diagnostics.Where(d => d.Id == "AD0001"))
        {
            progress.WriteLine($"fix: warning: an analyzer failed in {project.Name}: {failure.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return diagnostics
            .Where(d => choice.DiagnosticIds.Contains(d.Id) && d.Location.IsInSource && d.Severity != DiagnosticSeverity.Hidden)
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
    }

    private async Task<(List<FileFix> Files, List<FixResult> Results)> FixProjectAsync(
        Project project, IReadOnlyList<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var solution = project.Solution;
        var ownFixes = new List<(Diagnostic Diagnostic, Document Document, CodeAction? Action, IReadOnlyList<LineEdit> Edits)>();
        foreach (var diagnostic in diagnostics)
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var action = await RegisteredFixAsync(document, diagnostic, cancellationToken);
            var edits = action is null ? [] : await EditsAsync(document, action, cancellationToken);
            ownFixes.Add((diagnostic, document, action, edits));
        }

        var equivalenceKey = ownFixes.Select(f => f.Action?.EquivalenceKey).FirstOrDefault(k => k is not null);
        var fixAll = choice.Provider.GetFixAllProvider();
        var files = new List<FileFix>();
        if (equivalenceKey is not null && fixAll is not null)
        {
            var context = new FixAllContext(
                project, choice.Provider, FixAllScope.Project, equivalenceKey, choice.DiagnosticIds,
                new KnownDiagnostics(diagnostics), cancellationToken);
            var action = await fixAll.GetFixAsync(context);
            if (action is not null)
            {
                var changed = await ChangedSolutionAsync(action, solution, cancellationToken);
                foreach (var documentId in changed.GetChanges(solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true)))
                {
                    var before = await solution.GetDocument(documentId)!.GetTextAsync(cancellationToken);
                    var after = await changed.GetDocument(documentId)!.GetTextAsync(cancellationToken);
                    var path = solution.GetDocument(documentId)!.FilePath!;
                    var edits = LineDiff.Compute(before.ToString(), after.ToString());
                    if (edits.Count > 0)
                    {
                        files.Add(new FileFix(path, before.ToString(), after.ToString(), before.Encoding, edits));
                    }
                }
            }
        }

        var results = ownFixes
            .Select(f => new FixResult(f.Diagnostic, f.Document.FilePath!, f.Action?.Title, EditsBelongingTo(f.Edits, files.FirstOrDefault(file => file.Path == f.Document.FilePath))))
            .ToList();
        AttributeUnclaimedEdits(files, results);
        return (files, results);
    }

    /// <summary>The Fix All edits that the diagnostic's own fix touches.</summary>
    private static IReadOnlyList<LineEdit> EditsBelongingTo(IReadOnlyList<LineEdit> ownEdits, FileFix? file) =>
        file is null ? [] : file.Edits.Where(e => ownEdits.Any(own => own.Touches(e))).ToList();

    /// <summary>
    /// Every Fix All edit must reach the SARIF log, so that the log's fixes together reproduce the diff. An edit no
    /// single fix explains (Fix All may merge or reformat) goes to the nearest diagnostic above it in its file.
    /// </summary>
    private static void AttributeUnclaimedEdits(List<FileFix> files, List<FixResult> results)
    {
        foreach (var file in files)
        {
            foreach (var edit in file.Edits.Where(e => !results.Any(r => r.Edits.Contains(e))))
            {
                var inFile = results.Select((r, i) => (Result: r, Index: i)).Where(x => x.Result.Path == file.Path).ToList();
                if (inFile.Count == 0)
                {
                    continue;
                }

                var owner = inFile.LastOrDefault(x => x.Result.Span.StartLinePosition.Line <= edit.OldStart, inFile[0]);
                results[owner.Index] = owner.Result with
                {
                    Edits = owner.Result.Edits.Append(edit).OrderBy(e => e.OldStart).ThenBy(e => e.OldCount).ToList(),
                };
            }
        }
    }

    /// <summary>The chosen provider's fix for one diagnostic, if it offers one.</summary>
    private async Task<CodeAction?> RegisteredFixAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        await choice.Provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
        return actions.FirstOrDefault();
    }

    private static async Task<IReadOnlyList<LineEdit>> EditsAsync(Document document, CodeAction action, CancellationToken cancellationToken)
    {
        var changed = await ChangedSolutionAsync(action, document.Project.Solution, cancellationToken);
        var before = await document.GetTextAsync(cancellationToken);
        var after = await changed.GetDocument(document.Id)!.GetTextAsync(cancellationToken);
        return LineDiff.Compute(before.ToString(), after.ToString());
    }

    /// <summary>The solution after the action, post-processed (simplified, formatted) as an IDE applies it.</summary>
    private static async Task<Solution> ChangedSolutionAsync(CodeAction action, Solution solution, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken);
        return operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution ?? solution;
    }

    private static IEnumerable<DiagnosticAnalyzer> CowGuardAnalyzers() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    /// <summary>Hands Fix All the diagnostics already computed, instead of analysing again.</summary>
    private sealed class KnownDiagnostics(IReadOnlyList<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree).ToList();
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.AsEnumerable());
    }
}
