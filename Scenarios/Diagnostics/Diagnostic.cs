namespace CowGuard.Scenarios.Diagnostics;

/// <summary>What went wrong, in the words the message starts with after the location.</summary>
internal enum DiagnosticKind
{
    /// <summary>The text is not a well-formed scenario (a lexical or grammar fault, a wrong number of arguments, an unknown keyword).</summary>
    Syntax,

    /// <summary>A well-formed scenario is invalid (an unknown name, a value of the wrong kind or out of range), or a run failed.</summary>
    Error,

    /// <summary>A file cannot be read (missing, unreadable, an include cycle).</summary>
    File,
}

/// <summary>One problem with a place and a cause a person can act on, printed as <c>file:line:column: kind: cause</c>.</summary>
internal sealed record Diagnostic(SourceLocation Location, DiagnosticKind Kind, string Cause)
{
    public string KindText => Kind switch
    {
        DiagnosticKind.Syntax => "syntax error",
        DiagnosticKind.Error => "error",
        _ => "cannot load",
    };

    public override string ToString() => $"{Location}: {KindText}: {Cause}";
}
