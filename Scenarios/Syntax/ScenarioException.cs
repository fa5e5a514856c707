namespace CowGuard.Scenarios.Syntax;

/// <summary>
/// Every problem a scenario can have — malformed text, a bad value at run time, an operation the model does not
/// offer — carries the place it happened and a cause a person can act on. The CLI prints <see cref="Exception.Message"/>
/// (file:line:column: kind: cause) and exits with code 2; nothing else ever escapes as a stack trace.
/// </summary>
internal abstract class ScenarioException : Exception
{
    protected ScenarioException(SourceLocation location, string kind, string cause, Exception? inner = null)
        : base($"{location}: {kind}: {cause}", inner)
    {
        Location = location;
        Cause = cause;
    }

    public SourceLocation Location { get; }

    public string Cause { get; }
}

/// <summary>The text is not a well-formed scenario: says what was expected and what was found.</summary>
internal sealed class ScenarioSyntaxException(SourceLocation location, string cause)
    : ScenarioException(location, "syntax error", cause);

/// <summary>A well-formed scenario did something invalid while running (unknown variable, wrong kind of value, a model error).</summary>
internal sealed class ScenarioRuntimeException(SourceLocation location, string cause, Exception? inner = null)
    : ScenarioException(location, "error", cause, inner);

/// <summary>The scenario asks for an operation this version of the model does not provide.</summary>
internal sealed class ScenarioUnsupportedException(SourceLocation location, string operation)
    : ScenarioException(location, "not supported", $"'{operation}' is not supported by this model version");

/// <summary>A scenario or an included file cannot be read (missing, unreadable, an include cycle).</summary>
internal sealed class ScenarioFileException(SourceLocation location, string cause, Exception? inner = null)
    : ScenarioException(location, "cannot load", cause, inner);
