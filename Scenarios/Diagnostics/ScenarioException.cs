namespace CowGuard.Scenarios.Diagnostics;

/// <summary>
/// Every problem a scenario can have — malformed or invalid text found when it is loaded, a model error while it
/// runs — carries the place it happened and a cause a person can act on. The CLI prints <see cref="Exception.Message"/>
/// (one <c>file:line:column: kind: cause</c> line per problem) and exits with code 2; nothing else ever escapes as a
/// stack trace. <see cref="Location"/> and <see cref="Cause"/> are those of the first problem.
/// </summary>
internal abstract class ScenarioException : Exception
{
    protected ScenarioException(IReadOnlyList<Diagnostic> diagnostics, Exception? inner = null)
        : base(string.Join(Environment.NewLine, diagnostics), inner)
    {
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("a scenario exception needs at least one diagnostic", nameof(diagnostics));
        }

        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public SourceLocation Location => Diagnostics[0].Location;

    public string Cause => Diagnostics[0].Cause;
}

/// <summary>A scenario file (or a file it includes) cannot be loaded: every problem found, in file order.</summary>
internal sealed class ScenarioLoadException(IReadOnlyList<Diagnostic> diagnostics) : ScenarioException(diagnostics);

/// <summary>One problem found while parsing a line; the parser turns it into a diagnostic and goes on with the next line.</summary>
internal sealed class ScenarioSyntaxException(SourceLocation location, string cause)
    : ScenarioException([new Diagnostic(location, DiagnosticKind.Syntax, cause)]);

/// <summary>A file cannot be read (missing, unreadable, an include cycle).</summary>
internal sealed class ScenarioFileException(SourceLocation location, string cause, Exception? inner = null)
    : ScenarioException([new Diagnostic(location, DiagnosticKind.File, cause)], inner);

/// <summary>A loaded scenario failed while running (a model error such as munmap of an unaligned range, or a value out of range).</summary>
internal sealed class ScenarioRuntimeException(SourceLocation location, string cause, Exception? inner = null)
    : ScenarioException([new Diagnostic(location, DiagnosticKind.Error, cause)], inner);

/// <summary>A well-formed scenario is invalid (an unknown backing, a group that contains itself ...); found while loading.</summary>
internal sealed class ScenarioInvalidException(SourceLocation location, string cause)
    : ScenarioException([new Diagnostic(location, DiagnosticKind.Error, cause)]);
