namespace CowGuard.Benchmarks.Reporting;

/// <summary>
/// A benchmark's own check failed: a corpus that does not compile, a diagnostic count that is not the planted one, a
/// model that reads back the wrong bytes, a tool that printed nothing to parse. The run's figures cannot be trusted.
/// </summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
