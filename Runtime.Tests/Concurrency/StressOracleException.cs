namespace CowGuard.VmModel.Tests.Concurrency;

/// <summary>A stress oracle failed (lost update, isolation, pin coherence): never an expected error.</summary>
internal sealed class StressOracleException(string message) : Exception(message);
