namespace CowGuard.Scenarios.Diagnostics;

/// <summary>A 1-based line and column in a scenario file; printed the way compilers do, file:line:column.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
