namespace CowGuard.Cli.Audit;

/// <summary>An audit that cannot be produced: the build failed, or the SARIF log is missing or malformed.</summary>
internal sealed class AuditException(string message) : Exception(message);
