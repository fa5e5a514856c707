namespace CowGuard.Cli.Audit;

/// <summary>One page-reference call a [WrongSideCowOk] covers.</summary>
internal sealed record CoveredCall(int Line, int Column, string Method);

/// <summary>One [WrongSideCowOk] of a project: where it is, what it covers and why that is said to be safe.</summary>
internal sealed record AuditRecord(string File, int Line, string Scope, string Justification, IReadOnlyList<CoveredCall> Covers);
